import { In, type DataSource, type EntityManager } from 'typeorm';
import { type CaseRecord, Person } from '../../db/entities';

/**
 * Who a recipient relative to a case is, in the directory: used by the notify activity for every step it sends, and
 * by the import for the people its catch-up summary goes to. Reads through the given data source or transaction.
 */
export function recipientResolver(db: DataSource | EntityManager) {
  const people = () => db.getRepository(Person);

  /**
   * The first person of `rank` in `organisation` above `from` in the supervision chain, within the same force (CPS
   * area): a chain that strays into another force ends there, so an escalation never leaves the case's force.
   */
  async function climb(from: Person | null, organisation: string, rank: string): Promise<Person | null> {
    let current = from;
    const home = from && { forceId: from.forceId, areaId: from.areaId };
    for (let hops = 0; current?.reportsTo && hops < 20; hops += 1) {
      current = await people().findOneBy({ id: current.reportsTo });
      if (!current || current.forceId !== home!.forceId || current.areaId !== home!.areaId) return null;
      if (current.organisation === organisation && current.rank === rank && current.active) return current;
    }
    return null;
  }

  /**
   * Recipients relative to the case: `officer`/`owner`, `prosecutor`, `person:<id>`, or `<organisation>:<rank>`
   * up the chain of the officer (police) or of the prosecutor (CPS). A CPS rank on a case with no prosecutor yet
   * means that rank's triage pool: every active CPS person of that rank in the teams serving the case's unit.
   */
  async function resolve(recipient: string, kase: CaseRecord, prosecutorId?: string): Promise<Person[]> {
    const one = (p: Person | null) => (p && p.active ? [p] : []);
    if (recipient === 'officer' || recipient === 'owner') return one(await people().findOneBy({ id: kase.officerId }));
    if (recipient.startsWith('person:')) return one(await people().findOneBy({ id: recipient.slice(7) }));
    if (recipient === 'prosecutor') return prosecutorId ? one(await people().findOneBy({ id: prosecutorId })) : [];
    const [organisation, rank] = recipient.split(':');
    if (organisation === 'police') return one(await climb(await people().findOneBy({ id: kase.officerId }), organisation, rank));
    if (organisation === 'cps') {
      if (prosecutorId) {
        const prosecutor = await people().findOneBy({ id: prosecutorId });
        const above = prosecutor?.rank === rank ? prosecutor : await climb(prosecutor, organisation, rank);
        if (above) return [above];
      }
      const serving = (await db.query('SELECT cps_unit_id FROM unit_services WHERE police_unit_id = $1', [kase.unit])) as { cps_unit_id: string }[];
      if (!serving.length) return [];
      return people().find({ where: { organisation: 'cps', rank: rank as Person['rank'], active: true, unit: In(serving.map((u) => u.cps_unit_id)) }, order: { name: 'ASC' } });
    }
    return []; // e.g. `clinic`: delivered by the clinic agenda (see referToClinic), not by email
  }

  return { resolve };
}
