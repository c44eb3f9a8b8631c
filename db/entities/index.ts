import { AuditEntry } from './audit-entry.entity';
import { CaseDocument } from './case-document.entity';
import { CaseEvent } from './case-event.entity';
import { CaseItem } from './case-item.entity';
import { CaseParty } from './case-party.entity';
import { CaseRecord } from './case-record.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { OutboundEmail } from './outbound-email.entity';
import { Person } from './person.entity';
import { PolicyVersion } from './policy-version.entity';

export { AuditEntry, CaseDocument, CaseEvent, CaseItem, CaseParty, CaseRecord, IdempotencyKey, OutboundEmail, Person, PolicyVersion };
export const entities = [Person, CaseRecord, CaseEvent, CaseParty, IdempotencyKey, OutboundEmail, PolicyVersion, AuditEntry, CaseItem, CaseDocument];
