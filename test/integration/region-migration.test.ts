import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { auditHash, GENESIS_HASH } from '../../db/audit-chain';
import { verifyAuditChain } from '../../db/audit-verify';
import { migrations } from '../../db/data-source';
import { entities } from '../../db/entities';
import { Region1764800000000 } from '../../db/migrations/1764800000000-region';
import { ForceScopedRecords1764900000000 } from '../../db/migrations/1764900000000-force-scoped-records';
import { scratchDatabase } from '../support/scratch-database';

/** Tables whose rows a single-force database holds, each with the key its rows are read back in. */
const TABLES: Record<string, string> = {
  people: 'id', cases: 'id', case_events: 'id', case_parties: 'id', case_items: 'id', case_clocks: 'key', tasks: 'id', audit_log: 'seq',
};

/** A DataSource that knows the migrations up to the region migration, with it (`through`) or without it. */
const migratedTo = (url: string, through: boolean) => {
  const upTo = migrations.indexOf(Region1764800000000) + (through ? 1 : 0);
  return new DataSource({ type: 'postgres', url, entities, migrations: migrations.slice(0, upTo), migrationsTransactionMode: 'each' }).initialize();
};

async function rowsOf(db: DataSource): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const [table, key] of Object.entries(TABLES)) out[table] = await db.query(`SELECT * FROM ${table} ORDER BY ${key}`);
  return out;
}

async function schemaOf(db: DataSource) {
  return {
    columns: await db.query(`SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, is_nullable, column_default
                             FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`),
    constraints: await db.query(`SELECT conrelid::regclass::text AS "table", conname, pg_get_constraintdef(oid) AS def
                                 FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    indexes: await db.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`),
    triggers: await db.query(`SELECT tgrelid::regclass::text AS "table", tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`),
    functions: await db.query(`SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1`),
  };
}

const without = (rows: Record<string, unknown>[], ...columns: string[]) =>
  rows.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => !columns.includes(name))));

/** Today's single-force data, written as today's API and worker write it. */
async function seedSingleForce(db: DataSource) {
  const person = async (name: string, organisation: string, rank: string, roles: string[], unit: string, reportsTo: string | null = null) => {
    const id = randomUUID();
    await db.query(`INSERT INTO people (id, name, email, roles, organisation, rank, unit, reports_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, name, `${name.toLowerCase().replace(/\W+/g, '.')}@example.test`, roles, organisation, rank, unit, reportsTo]);
    return id;
  };
  const di = await person('DI North Synthetic', 'police', 'DI', ['supervisor'], 'north-rasso');
  const ds = await person('DS North Synthetic', 'police', 'DS', ['supervisor'], 'north-rasso', di);
  const north = await person('DC North Synthetic', 'police', 'DC', ['officer'], 'north-rasso', ds);
  const south = await person('DC South Synthetic', 'police', 'DC', ['officer'], 'south-rasso');
  const dcp = await person('DCP Synthetic', 'cps', 'DCP', ['cps'], 'cps-rasso');
  const prosecutor = await person('Prosecutor Synthetic', 'cps', 'Prosecutor', ['cps'], 'cps-rasso', dcp);
  // A liaison prosecutor filed under a police unit's id: the unit stays police, the person joins the CPS area.
  const liaison = await person('Liaison Synthetic', 'cps', 'Prosecutor', ['cps'], 'north-rasso', dcp);

  const kase = async (urn: string, unit: string, officer: string) => {
    const id = randomUUID();
    const workflowId = `case-${id}`;
    await db.query(`
      INSERT INTO cases (id, urn, stage, unit, officer_id, offence_type, penetrative, committed_from, reported_at, enhanced_rights, suspect_count,
                         policy_version, workflow_id, last_event_seq, waiting_for, referred_to_cps, next_due_at, allocation_rule, allocation_reason)
      VALUES ($1, $2, 'investigation', $3, $4, 'rape', true, '2026-10-01', '2026-11-20T10:00:00Z', true, 1, 'v1', $5, 1, 'police', false,
              '2026-12-01T10:00:00Z', 'registering-unit', 'Stays with the registering unit')`, [id, urn, unit, officer, workflowId]);
    await db.query(`INSERT INTO case_events (id, case_id, seq, type, actor_id, actor_role, to_stage, data, occurred_at)
                    VALUES ($1, $2, 1, 'case-registered', $3, 'officer', 'investigation', '{"unit": "${unit}"}', '2026-11-20T10:00:00Z')`, [`${workflowId}:1`, id, officer]);
    await db.query(`INSERT INTO case_parties (id, case_id, kind, name, date_of_birth, vulnerable, contact_preference)
                    VALUES ($1, $2, 'victim', 'Synthetic Victim', '1990-01-01', true, 'via-isva')`, [randomUUID(), id]);
    await db.query(`INSERT INTO case_items (id, case_id, kind, status, owner, updated_seq) VALUES ($1, $2, 'early-advice', 'requested', 'cps', 1)`, [randomUUID(), id]);
    const clockKey = `victim.routineUpdate:${id}`;
    await db.query(`INSERT INTO case_clocks (key, case_id, name, subject_id, started_at, due_at, explanation, steps_fired, status, updated_seq)
                    VALUES ($1, $2, 'victim.routineUpdate', $2, '2026-11-20T10:00:00Z', '2026-12-01T10:00:00Z', 'Routine victim update', 1, 'running', 1)`, [clockKey, id]);
    await db.query(`INSERT INTO tasks (dedupe_key, person_id, case_id, kind, clock_key, clock_name, step, due_at, why, delivery)
                    VALUES ($1, $2, $3, 'escalation', $4, 'victim.routineUpdate', 0, '2026-12-01T10:00:00Z', 'Routine victim update overdue', 'immediate')`,
    [`${workflowId}:${clockKey}:1:0:${ds}`, ds, id, clockKey]);
    return id;
  };
  const cases = [await kase('45NR0000126', 'north-rasso', north), await kase('45NR0000226', 'north-rasso', north), await kase('45SR0000326', 'south-rasso', south),
    // A URN another force issued, recorded before anything checked: the force still takes the code most cases carry.
    await kase('46XX0000426', 'south-rasso', south)];

  // Chained as that schema's API wrote them (no force column yet, no append function: both came later).
  let prevHash = GENESIS_HASH;
  for (const [i, [caseId, actorId]] of ([[cases[0], north], [cases[2], south], [null, null]] as const).entries()) {
    const entry = {
      seq: i + 1, prevHash, occurredAt: new Date(Date.UTC(2026, 10, 25, 9, i)), actorId, actorRoles: actorId ? ['officer'] : ['admin'], action: caseId ? 'case.read' : 'people.read',
      method: 'GET', route: caseId ? '/api/cases/:id' : '/api/people', caseId, resourceId: null, outcome: 200, sourceIp: '127.0.0.1', disclosedTo: null,
    };
    prevHash = auditHash(entry);
    await db.query(`INSERT INTO audit_log (seq, occurred_at, actor_id, actor_roles, action, method, route, case_id, resource_id, outcome, source_ip, disclosed_to, prev_hash, hash)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [entry.seq, entry.occurredAt, entry.actorId, entry.actorRoles, entry.action, entry.method, entry.route, entry.caseId, entry.resourceId, entry.outcome, entry.sourceIp, entry.disclosedTo, entry.prevHash, prevHash]);
  }
  await db.query(`SELECT setval(pg_get_serial_sequence('audit_log', 'seq'), 3)`);
  return { police: [di, ds, north, south], cps: [dcp, prosecutor, liaison], cases };
}

/** The region migration over a single-force database made by the migrations before it: every row kept, and back. */
describe('the region migration', () => {
  it('turns a single-force database into one force of a region and back, keeping every row and the audit chain', async () => {
    const scratch = await scratchDatabase('precharge_region');
    try {
      const before = await migratedTo(scratch.url, false);
      await before.runMigrations({ transaction: 'each' });
      const seeded = await seedSingleForce(before);
      const schemaBefore = await schemaOf(before);
      const rowsBefore = await rowsOf(before);
      await before.destroy();

      const region = await migratedTo(scratch.url, true);
      try {
        expect((await region.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['Region1764800000000']);

        expect(await region.query(`SELECT id, code, name FROM forces`)).toEqual([{ id: 'force-45', code: '45', name: 'Force 45' }]);
        expect(await region.query(`SELECT id, name FROM cps_areas`)).toEqual([{ id: 'cps-area', name: 'CPS area' }]);
        expect(await region.query(`SELECT id, organisation, force_id, area_id FROM units ORDER BY id`)).toEqual([
          { id: 'cps-rasso', organisation: 'cps', force_id: null, area_id: 'cps-area' },
          { id: 'north-rasso', organisation: 'police', force_id: 'force-45', area_id: null },
          { id: 'south-rasso', organisation: 'police', force_id: 'force-45', area_id: null },
        ]);
        expect(await region.query(`SELECT police_unit_id, cps_unit_id FROM unit_services ORDER BY 1`)).toEqual([
          { police_unit_id: 'north-rasso', cps_unit_id: 'cps-rasso' }, { police_unit_id: 'south-rasso', cps_unit_id: 'cps-rasso' },
        ]);

        const rowsAfter = await rowsOf(region);
        for (const table of Object.keys(TABLES)) {
          const added = { people: ['force_id', 'area_id'], cases: ['force_id'] }[table] ?? [];
          expect({ table, rows: without(rowsAfter[table], ...added) }).toEqual({ table, rows: rowsBefore[table] });
        }
        const placed = new Map(rowsAfter.people.map((p) => [p.id, [p.force_id, p.area_id]]));
        for (const id of seeded.police) expect(placed.get(id)).toEqual(['force-45', null]);
        for (const id of seeded.cps) expect(placed.get(id)).toEqual([null, 'cps-area']);
        expect(rowsAfter.cases.map((c) => c.force_id)).toEqual(seeded.cases.map(() => 'force-45'));
        expect(await verifyAuditChain(region)).toEqual({ ok: true, checked: 3 });

        // From now on a case's force is its unit's, and a unit is a police unit of a force or a CPS team of an area.
        await expect(region.query(`UPDATE cases SET unit = 'cps-rasso' WHERE id = $1`, [seeded.cases[0]])).rejects.toThrow(/cases_unit_force_fkey/);
        await expect(region.query(`INSERT INTO units (id, name, organisation, force_id, area_id) VALUES ('both', 'Both', 'police', 'force-45', 'cps-area')`)).rejects.toThrow(/units_force_or_area/);
        await expect(region.query(`UPDATE people SET unit = 'nowhere' WHERE id = $1`, [seeded.police[0]])).rejects.toThrow(/people_unit_fkey/);

        await region.undoLastMigration({ transaction: 'each' });
        expect(await schemaOf(region)).toEqual(schemaBefore);
        expect(await rowsOf(region)).toEqual(rowsBefore);
        expect(await verifyAuditChain(region)).toEqual({ ok: true, checked: 3 });
      } finally {
        await region.destroy();
      }
    } finally {
      await scratch.drop();
    }
  });

  it('leaves an empty database empty, and gives a directory without cases force code 01', async () => {
    const scratch = await scratchDatabase('precharge_region');
    try {
      const before = await migratedTo(scratch.url, false);
      await before.runMigrations({ transaction: 'each' });
      await before.destroy();
      const region = await migratedTo(scratch.url, true);
      try {
        await region.runMigrations({ transaction: 'each' });
        expect(await region.query(`SELECT id FROM forces UNION ALL SELECT id FROM cps_areas UNION ALL SELECT id FROM units`)).toEqual([]);
        await region.undoLastMigration({ transaction: 'each' });

        await region.query(`INSERT INTO people (id, name, email, roles, organisation, rank, unit) VALUES ($1, 'DC Only Synthetic', 'dc.only@example.test', '{officer}', 'police', 'DC', 'only-unit')`, [randomUUID()]);
        await region.runMigrations({ transaction: 'each' });
        expect(await region.query(`SELECT id, code FROM forces`)).toEqual([{ id: 'force-01', code: '01' }]);
        expect(await region.query(`SELECT force_id, area_id FROM people`)).toEqual([{ force_id: 'force-01', area_id: null }]);
      } finally {
        await region.destroy();
      }
    } finally {
      await scratch.drop();
    }
  });

  it("gives tasks, documents and audit entries their case's (or actor's) force, keeping the audit chain, and takes it back", async () => {
    const scratch = await scratchDatabase('precharge_region');
    try {
      const before = await migratedTo(scratch.url, false);
      await before.runMigrations({ transaction: 'each' });
      const seeded = await seedSingleForce(before);
      await before.query(`INSERT INTO case_documents (id, case_id, kind, body, author_id) VALUES ($1, $2, 'early-advice', '{}', $3)`, [randomUUID(), seeded.cases[0], seeded.police[2]]);
      await before.destroy();
      const upTo = (count: number) => new DataSource({ type: 'postgres', url: scratch.url, entities, migrations: migrations.slice(0, count), migrationsTransactionMode: 'each' }).initialize();
      const region = await upTo(migrations.indexOf(ForceScopedRecords1764900000000));
      await region.runMigrations({ transaction: 'each' });
      const schemaBefore = await schemaOf(region);
      const rowsBefore = await rowsOf(region);
      await region.destroy();

      const scoped = await upTo(migrations.indexOf(ForceScopedRecords1764900000000) + 1);
      try {
        expect((await scoped.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['ForceScopedRecords1764900000000']);
        expect(await scoped.query(`SELECT DISTINCT force_id FROM tasks UNION ALL SELECT DISTINCT force_id FROM case_documents`)).toEqual([{ force_id: 'force-45' }, { force_id: 'force-45' }]);
        // Entries about a case take its force, one by a person of the force theirs, one by nobody known none.
        expect((await scoped.query(`SELECT force_id FROM audit_log ORDER BY seq`)).map((r: { force_id: string | null }) => r.force_id)).toEqual(['force-45', 'force-45', null]);
        expect(await verifyAuditChain(scoped)).toEqual({ ok: true, checked: 3 });
        await expect(scoped.query(`UPDATE audit_log SET force_id = NULL`)).rejects.toThrow(/append-only/);
        await scoped.undoLastMigration({ transaction: 'each' });
        expect(await schemaOf(scoped)).toEqual(schemaBefore);
        expect(await rowsOf(scoped)).toEqual(rowsBefore);
        expect(await verifyAuditChain(scoped)).toEqual({ ok: true, checked: 3 });
      } finally {
        await scoped.destroy();
      }
    } finally {
      await scratch.drop();
    }
  });
});
