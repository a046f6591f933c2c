import { decideSync } from '../../../../src/domain/employee-mirror/decide';
import { acumatica, createdHistory, facts, given, snapshot, syncRound, types } from './fixtures';
import { employmentAt, pacificDate } from '../../../../src/domain/employee-mirror/employment';
import { fold } from '../../../../src/domain/employee-mirror/state';

const leaving = (effectiveDate: string, active = false) =>
  snapshot({ terminated: true, terminationEffectiveDate: effectiveDate, terminationActive: active });
const inactive = () =>
  acumatica({
    status: 'Inactive',
    employmentHistory: [
      {
        id: 'line-1',
        lineNbr: 1,
        startDate: '2025-01-06T00:00:00+00:00',
        startReason: 'New Hire',
        active: false,
        terminated: true,
        endDate: '2026-03-01T00:00:00+00:00',
      },
    ],
  });

describe('EmployeeMirror — termination, cancellation, rehire', () => {
  it('terminates: Status Inactive and the open history line closed on the last day worked', () => {
    const decision = given(...createdHistory())
      .when((s) =>
        decideSync(
          s,
          facts({ gusto: leaving('2026-03-01', true), acumatica: { byRefNbr: acumatica(), byEmail: null } }),
        ),
      )
      .thenAccepted();
    expect(decision.write).toEqual(
      expect.objectContaining({
        kind: 'update',
        body: {
          employeeId: 'EP00000042',
          status: 'Inactive',
          employmentHistory: [
            { id: 'line-1', lineNbr: 1, active: false, endDate: '2026-03-01', terminated: true, rehireEligible: true },
          ],
        },
        changes: [],
      }),
    );
  });

  it('records EmployeeTerminated with the effective date once written', () => {
    const events = syncRound(
      createdHistory(),
      facts({ gusto: leaving('2026-03-01', true), acumatica: { byRefNbr: acumatica(), byEmail: null } }),
    );
    expect(types(events)).toEqual(['EmployeeObserved', 'EmployeeTerminated']);
    expect(events[1]).toMatchObject({ data: { effectiveDate: '2026-03-01', historyLineClosed: true } });
  });

  it('a future-dated termination is only scheduled, and applied by the poll once its day has passed (Pacific time)', () => {
    const history = createdHistory();
    const early = given(...history)
      .when((s) =>
        decideSync(s, facts({ gusto: leaving('2026-03-10'), acumatica: { byRefNbr: acumatica(), byEmail: null } })),
      )
      .thenAccepted();
    expect(types(early.events)).toEqual(['EmployeeObserved', 'TerminationScheduled']);
    expect(early.write).toBeNull();
    const scheduled = [...history, ...early.events];
    // 06:59Z on the 11th is still the 10th in Los Angeles (PDT): the last day worked is not over yet.
    const lastDay = given(...scheduled)
      .when((s) =>
        decideSync(
          s,
          facts({
            trigger: 'poll',
            gusto: leaving('2026-03-10'),
            now: new Date('2026-03-11T06:59:00Z'),
            acumatica: { byRefNbr: acumatica(), byEmail: null },
          }),
        ),
      )
      .thenAccepted();
    expect(lastDay).toEqual({ events: [], write: null });
    const events = syncRound(
      scheduled,
      facts({
        trigger: 'poll',
        gusto: leaving('2026-03-10'),
        now: new Date('2026-03-11T08:30:00Z'),
        acumatica: { byRefNbr: acumatica(), byEmail: null },
      }),
    );
    expect(types(events)).toEqual(['EmployeeTerminated']);
    expect(fold([...scheduled, ...events]).scheduledTermination).toBeNull();
  });

  it('a scheduled termination withdrawn in Gusto is cancelled without touching Acumatica', () => {
    const history = [
      ...createdHistory(),
      ...given(...createdHistory())
        .when((s) =>
          decideSync(s, facts({ gusto: leaving('2026-03-10'), acumatica: { byRefNbr: acumatica(), byEmail: null } })),
        )
        .thenAccepted().events,
    ];
    const decision = given(...history)
      .when((s) => decideSync(s, facts({ gusto: snapshot(), acumatica: { byRefNbr: acumatica(), byEmail: null } })))
      .thenAccepted();
    expect(types(decision.events)).toEqual(['EmployeeObserved', 'TerminationCancelled']);
    expect(decision.events[1]).toEqual({ type: 'TerminationCancelled', data: { effectiveDate: '2026-03-10' } });
    expect(decision.write).toBeNull();
  });

  const terminatedHistory = () => [
    ...createdHistory(),
    ...syncRound(
      createdHistory(),
      facts({ gusto: leaving('2026-03-01', true), acumatica: { byRefNbr: acumatica(), byEmail: null } }),
    ),
  ];

  it('rehires: Status Active and a new history line with StartReason Rehire', () => {
    const rehired = snapshot({ hireDate: '2026-06-01', terminationEffectiveDate: '2026-03-01' });
    const decision = given(...terminatedHistory())
      .when((s) =>
        decideSync(
          s,
          facts({
            gusto: rehired,
            now: new Date('2026-06-02T18:00:00Z'),
            acumatica: { byRefNbr: inactive(), byEmail: null },
          }),
        ),
      )
      .thenAccepted();
    expect(decision.write).toMatchObject({
      kind: 'update',
      body: {
        employeeId: 'EP00000042',
        status: 'Active',
        employmentHistory: [{ startDate: '2026-06-01', startReason: 'Rehire', active: true }],
      },
    });
    const events = syncRound(
      terminatedHistory(),
      facts({ gusto: rehired, acumatica: { byRefNbr: inactive(), byEmail: null } }),
    );
    expect(types(events)).toEqual(['EmployeeObserved', 'EmployeeRehired']);
    expect(fold([...terminatedHistory(), ...events]).appliedTermination).toBeNull();
  });

  it('active again with the old hire date (the rehire date lives on /rehire) is still a rehire, started the day it is seen', () => {
    const decision = given(...terminatedHistory())
      .when((s) =>
        decideSync(
          s,
          facts({
            gusto: snapshot(),
            now: new Date('2026-06-02T18:00:00Z'),
            acumatica: { byRefNbr: inactive(), byEmail: null },
          }),
        ),
      )
      .thenAccepted();
    expect(decision.write).toMatchObject({
      body: { status: 'Active', employmentHistory: [{ startDate: '2026-06-02', startReason: 'Rehire', active: true }] },
    });
  });

  it('records a rehire Acumatica already shows (an earlier run crashed after its PUT) without writing', () => {
    const rehiredRecord = acumatica({
      employmentHistory: [
        ...inactive().employmentHistory!,
        { id: 'line-2', lineNbr: 2, startDate: '2026-06-02T00:00:00+00:00', startReason: 'Rehire', active: true },
      ],
    });
    const decision = given(...terminatedHistory())
      .when((s) => decideSync(s, facts({ gusto: snapshot(), acumatica: { byRefNbr: rehiredRecord, byEmail: null } })))
      .thenAccepted();
    expect(types(decision.events)).toEqual(['EmployeeObserved', 'EmployeeRehired']);
    expect(decision.events[1]).toMatchObject({ data: { startDate: '2026-06-02' } });
    expect(decision.write).toBeNull();
  });

  it('a repeated termination sync writes nothing', () => {
    const decision = given(...terminatedHistory())
      .when((s) =>
        decideSync(
          s,
          facts({ gusto: leaving('2026-03-01', true), acumatica: { byRefNbr: inactive(), byEmail: null } }),
        ),
      )
      .thenAccepted();
    expect(decision).toEqual({ events: [], write: null });
  });

  it('records a termination Acumatica already shows (an earlier run crashed after its PUT) without writing', () => {
    const decision = given(...createdHistory())
      .when((s) =>
        decideSync(
          s,
          facts({ gusto: leaving('2026-03-01', true), acumatica: { byRefNbr: inactive(), byEmail: null } }),
        ),
      )
      .thenAccepted();
    expect(types(decision.events)).toEqual(['EmployeeObserved', 'EmployeeTerminated']);
    expect(decision.events[1]).toMatchObject({ data: { historyLineClosed: false } });
    expect(decision.write).toBeNull();
  });

  it('out of order: first seen already terminated, it is created Inactive with a closed line; the stale hire webhook changes nothing', () => {
    const events = syncRound([], facts({ gusto: leaving('2026-03-01', true), eventType: 'employee.terminated' }));
    expect(types(events)).toEqual(['EmployeeObserved', 'AcumaticaEmployeeCreated', 'EmployeeTerminated']);
    const created = given()
      .when((s) => decideSync(s, facts({ gusto: leaving('2026-03-01', true) })))
      .thenAccepted().write;
    expect(created?.body).toMatchObject({
      status: 'Inactive',
      employmentHistory: [
        { startDate: '2025-01-06', startReason: 'New Hire', active: false, endDate: '2026-03-01', terminated: true },
      ],
    });
    const late = given(...events)
      .when((s) =>
        decideSync(
          s,
          facts({
            gusto: leaving('2026-03-01', true),
            eventType: 'employee.created',
            acumatica: { byRefNbr: inactive(), byEmail: null },
          }),
        ),
      )
      .thenAccepted();
    expect(late).toEqual({ events: [], write: null });
  });
});

describe('employmentAt', () => {
  it('trusts terminated=false over a stale termination record', () => {
    expect(
      employmentAt(
        snapshot({ terminationEffectiveDate: '2026-01-01', terminationActive: true }),
        new Date('2026-03-01T00:00:00Z'),
      ),
    ).toEqual({ kind: 'active' });
  });
  it('terminated with no record is in effect now', () => {
    expect(employmentAt(snapshot({ terminated: true }), new Date('2026-03-01T00:00:00Z'))).toEqual({
      kind: 'terminated',
      effectiveDate: null,
    });
  });
  it('Pacific date of an instant', () => {
    expect(pacificDate(new Date('2026-03-11T07:59:00Z'))).toBe('2026-03-11');
    expect(pacificDate(new Date('2026-03-11T06:59:00Z'))).toBe('2026-03-10');
  });
});
