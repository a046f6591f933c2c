import type { AcumaticaEmployee } from '../../../application/ports/acumatica.port';
import { bool, str, value, wrap, type WireEntity } from './values';

/** Acumatica's Employee entity (wrapped values, linked ContactInfo/EmployeeSettings) ↔ the port's flat shape. */
export function employeeFromWire(e: WireEntity): AcumaticaEmployee {
  const contact = (e.ContactInfo ?? {}) as WireEntity;
  const settings = (e.EmployeeSettings ?? {}) as WireEntity;
  const history = Array.isArray(e.EmploymentHistory) ? (e.EmploymentHistory as WireEntity[]) : undefined;
  return {
    employeeId: str(e.EmployeeID),
    refNbr: str(settings.EmployeeRefNbr),
    status: str(e.Status),
    firstName: str(contact.FirstName),
    lastName: str(contact.LastName),
    email: str(contact.Email),
    title: str(contact.Title),
    departmentId: str(settings.DepartmentID),
    employeeClass: str(settings.EmployeeClass),
    lastModifiedDateTime: str(e.LastModifiedDateTime),
    ...(history
      ? {
          employmentHistory: history.map((h) => ({
            id: typeof h.id === 'string' ? h.id : undefined,
            lineNbr: value<number>(h.LineNbr),
            startDate: str(h.StartDate)?.slice(0, 10),
            endDate: str(h.EndDate)?.slice(0, 10),
            active: bool(h.Active),
            terminated: bool(h.Terminated),
            startReason: str(h.StartReason),
            terminationReason: str(h.TerminationReason),
            rehireEligible: bool(h.RehireEligible),
          })),
        }
      : {}),
  };
}

export function employeeToWire(e: AcumaticaEmployee): WireEntity {
  const contact = wrap({ FirstName: e.firstName, LastName: e.lastName, Email: e.email, Title: e.title });
  const settings = wrap({ EmployeeRefNbr: e.refNbr, DepartmentID: e.departmentId, EmployeeClass: e.employeeClass });
  return {
    ...wrap({ EmployeeID: e.employeeId, Status: e.status }),
    ...(Object.keys(contact).length ? { ContactInfo: contact } : {}),
    ...(Object.keys(settings).length ? { EmployeeSettings: settings } : {}),
    ...(e.employmentHistory
      ? {
          EmploymentHistory: e.employmentHistory.map((h) => ({
            ...(h.id ? { id: h.id } : {}),
            ...wrap({
              StartDate: h.startDate,
              EndDate: h.endDate,
              Active: h.active,
              Terminated: h.terminated,
              StartReason: h.startReason,
              TerminationReason: h.terminationReason,
              RehireEligible: h.rehireEligible,
            }),
          })),
        }
      : {}),
  };
}
