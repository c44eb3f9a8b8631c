import { AuditEntry } from './audit-entry.entity';
import { CaseAccessGrant } from './case-access-grant.entity';
import { CaseClock } from './case-clock.entity';
import { CaseDocument } from './case-document.entity';
import { CaseEvent } from './case-event.entity';
import { CaseItem } from './case-item.entity';
import { CaseParty } from './case-party.entity';
import { CaseRecord } from './case-record.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { OutboundEmail } from './outbound-email.entity';
import { CpsArea, Force, Unit, UnitServiceLink } from './organisation.entity';
import { Person } from './person.entity';
import { PolicyVersion } from './policy-version.entity';
import { Task } from './task.entity';

export { UNIT_ORGANISATIONS, type UnitOrganisation } from './organisation.entity';
export { AuditEntry, CaseAccessGrant, CaseClock, CaseDocument, CaseEvent, CaseItem, CaseParty, CaseRecord, IdempotencyKey, OutboundEmail, Person, PolicyVersion, Task, Force, CpsArea, Unit, UnitServiceLink };
export const entities = [Person, CaseRecord, CaseEvent, CaseParty, IdempotencyKey, OutboundEmail, PolicyVersion, AuditEntry, CaseItem, CaseDocument, CaseClock, Task, CaseAccessGrant, Force, CpsArea, Unit, UnitServiceLink];
