import { decideSync } from '../../../../src/domain/employee-mirror/decide';
import { acumatica, createdHistory, facts, given, mappingDoc, snapshot, syncRound, types } from './fixtures';
import { fold } from '../../../../src/domain/employee-mirror/state';

const LATER = '2026-03-05T09:00:00.000+00:00';
const handEdited = (overrides = {}) =>
  acumatica({ title: 'Chief Tinkerer', lastModifiedDateTime: LATER, ...overrides });
const byRef = (record = handEdited()) => ({ byRefNbr: record, byEmail: null });

describe('EmployeeMirror — drift (Acumatica changed by hand)', () => {
  it('flags a field edited by hand after our last write, and leaves it (policy flag, the default)', () => {
    const decision = given(...createdHistory())
      .when((s) => decideSync(s, facts({ acumatica: byRef() })))
      .thenAccepted();
    expect(types(decision.events)).toEqual(['DriftDetected']);
    expect(decision.events[0]).toMatchObject({
      data: {
        employeeId: 'EP00000042',
        policy: 'flag',
        acumaticaModifiedAt: LATER,
        fields: [{ field: 'title', gusto: 'Engineer', acumatica: 'Chief Tinkerer', lastWritten: 'Engineer' }],
      },
    });
    expect(decision.write).toBeNull();
  });

  it('reports the same drift once', () => {
    const history = [
      ...createdHistory(),
      ...given(...createdHistory())
        .when((s) => decideSync(s, facts({ acumatica: byRef() })))
        .thenAccepted().events,
    ];
    expect(
      given(...history)
        .when((s) => decideSync(s, facts({ acumatica: byRef() })))
        .then(),
    ).toMatchObject({ events: [], write: null });
  });

  it('still passes Gusto changes to the other fields, and keeps the drift after our write makes LastModifiedDateTime ours', () => {
    const history = [
      ...createdHistory(),
      ...given(...createdHistory())
        .when((s) => decideSync(s, facts({ acumatica: byRef() })))
        .thenAccepted().events,
    ];
    const renamed = snapshot({ lastName: 'Raman-Iyer' });
    const events = syncRound(history, facts({ gusto: renamed, acumatica: byRef() }), (intent) => ({
      ...handEdited(),
      ...intent.body,
      lastModifiedDateTime: '2026-03-06T09:00:00.000+00:00',
    }));
    expect(types(events)).toEqual(['EmployeeObserved', 'AcumaticaEmployeeUpdated']);
    expect(events[1]).toMatchObject({ data: { changes: [{ field: 'lastName', to: 'Raman-Iyer' }] } });
    const after = [...history, ...events];
    const next = given(...after)
      .when((s) =>
        decideSync(
          s,
          facts({
            gusto: renamed,
            acumatica: byRef(
              handEdited({ lastName: 'Raman-Iyer', lastModifiedDateTime: '2026-03-06T09:00:00.000+00:00' }),
            ),
          }),
        ),
      )
      .thenAccepted();
    expect(next).toEqual({ events: [], write: null });
    expect(fold(after).drift).toHaveLength(1);
  });

  it("overwrites under driftPolicy 'overwrite' and says so", () => {
    const events = syncRound(
      createdHistory(),
      facts({ mapping: mappingDoc({ driftPolicy: 'overwrite' }), acumatica: byRef() }),
    );
    expect(types(events)).toEqual(['DriftDetected', 'AcumaticaEmployeeUpdated', 'DriftResolved']);
    expect(events[0]).toMatchObject({ data: { policy: 'overwrite' } });
    expect(events[1]).toMatchObject({
      data: { overwroteDrift: true, changes: [{ field: 'title', from: 'Chief Tinkerer', to: 'Engineer' }] },
    });
    expect(events[2]).toMatchObject({ data: { how: 'overwritten' } });
    expect(fold([...createdHistory(), ...events]).drift).toBeNull();
  });

  it('clears the flag when someone puts Acumatica back in line with Gusto', () => {
    const history = [
      ...createdHistory(),
      ...given(...createdHistory())
        .when((s) => decideSync(s, facts({ acumatica: byRef() })))
        .thenAccepted().events,
    ];
    const decision = given(...history)
      .when((s) =>
        decideSync(
          s,
          facts({ acumatica: byRef(acumatica({ lastModifiedDateTime: '2026-03-07T09:00:00.000+00:00' })) }),
        ),
      )
      .thenAccepted();
    expect(decision.events).toEqual([{ type: 'DriftResolved', data: { how: 'agreed' } }]);
    expect(decision.write).toBeNull();
  });

  it('a difference where Acumatica still holds our last value is a Gusto change, not drift', () => {
    // Someone touched another, unmirrored field (LastModifiedDateTime moved) while Gusto renamed the title.
    const decision = given(...createdHistory())
      .when((s) =>
        decideSync(
          s,
          facts({
            gusto: snapshot({ jobTitle: 'Staff Engineer' }),
            acumatica: byRef(acumatica({ lastModifiedDateTime: LATER })),
          }),
        ),
      )
      .thenAccepted();
    expect(types(decision.events)).toEqual(['EmployeeObserved']);
    expect(decision.write).toMatchObject({
      changes: [{ field: 'title', from: 'Engineer', to: 'Staff Engineer' }],
      overwroteDrift: false,
    });
  });

  it('a hand edit not newer than our last write is not drift (LastModifiedDateTime is ours)', () => {
    const decision = given(...createdHistory())
      .when((s) => decideSync(s, facts({ acumatica: byRef(acumatica({ title: 'Chief Tinkerer' })) })))
      .thenAccepted();
    expect(types(decision.events)).toEqual([]);
    expect(decision.write).toMatchObject({ changes: [{ field: 'title', to: 'Engineer' }] });
  });

  it('a record deactivated by hand while Gusto says active is drift on status', () => {
    const decision = given(...createdHistory())
      .when((s) =>
        decideSync(s, facts({ acumatica: byRef(acumatica({ status: 'Inactive', lastModifiedDateTime: LATER })) })),
      )
      .thenAccepted();
    expect(decision.events[0]).toMatchObject({
      type: 'DriftDetected',
      data: { fields: [{ field: 'status', gusto: 'Active', acumatica: 'Inactive' }] },
    });
    expect(decision.write).toBeNull();
  });
});
