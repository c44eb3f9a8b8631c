import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The CPS area a single-force database's CPS teams are placed in. */
const AREA_ID = 'cps-area';

/**
 * One deployment for a region: police forces and their units, CPS areas and their teams, which CPS teams serve which
 * police units, and the force or area of every person and case. A single-force database becomes one force of a
 * region, every row kept: the force takes the code most of its URNs carry. The audit log is left as it is, so its
 * hash chain still verifies.
 */
export class Region1764800000000 implements MigrationInterface {
  name = 'Region1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE forces (
        id text PRIMARY KEY,
        code char(2) NOT NULL CHECK (code ~ '^[0-9]{2}$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX forces_code_key ON forces (code)`);
    await q.query(`
      CREATE TABLE cps_areas (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE units (
        id text PRIMARY KEY,
        name text NOT NULL,
        organisation text NOT NULL CHECK (organisation IN ('police', 'cps')),
        force_id text REFERENCES forces(id),
        area_id text REFERENCES cps_areas(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT units_force_or_area CHECK (
          (organisation = 'police' AND force_id IS NOT NULL AND area_id IS NULL)
          OR (organisation = 'cps' AND area_id IS NOT NULL AND force_id IS NULL)),
        -- What cases point at, so a case's force is always its unit's force.
        CONSTRAINT units_id_force_key UNIQUE (id, force_id)
      )`);
    await q.query(`CREATE INDEX units_force_idx ON units (force_id)`);
    await q.query(`CREATE INDEX units_area_idx ON units (area_id)`);
    await q.query(`
      CREATE TABLE unit_services (
        police_unit_id text NOT NULL REFERENCES units(id),
        cps_unit_id text NOT NULL REFERENCES units(id),
        PRIMARY KEY (police_unit_id, cps_unit_id),
        CHECK (police_unit_id <> cps_unit_id)
      )`);
    await q.query(`CREATE INDEX unit_services_cps_idx ON unit_services (cps_unit_id)`);
    await q.query(`
      ALTER TABLE people
        ADD COLUMN force_id text REFERENCES forces(id),
        ADD COLUMN area_id text REFERENCES cps_areas(id),
        ADD CONSTRAINT people_force_or_area CHECK (force_id IS NULL OR area_id IS NULL)`);
    await q.query(`ALTER TABLE cases ADD COLUMN force_id text`);

    await this.placeSingleForce(q);

    await q.query(`ALTER TABLE cases ALTER COLUMN force_id SET NOT NULL`);
    await q.query(`ALTER TABLE cases ADD CONSTRAINT cases_unit_force_fkey FOREIGN KEY (unit, force_id) REFERENCES units (id, force_id)`);
    await q.query(`ALTER TABLE people ADD CONSTRAINT people_unit_fkey FOREIGN KEY (unit) REFERENCES units (id)`);
    await q.query(`CREATE INDEX cases_force_stage_idx ON cases (force_id, stage)`);
    await q.query(`CREATE INDEX people_force_idx ON people (force_id)`);
    await q.query(`CREATE INDEX people_area_idx ON people (area_id)`);
  }

  /**
   * Today's data as one force and one CPS area: a unit for every unit id people and cases carry (police unless only
   * CPS staff use it), every CPS team serving every police unit, and each person and case placed. An empty database
   * gets nothing: a new region's administrator creates its forces.
   */
  private async placeSingleForce(q: QueryRunner): Promise<void> {
    const [{ people, cases }] = (await q.query(`SELECT (SELECT count(*) FROM people)::int AS people, (SELECT count(*) FROM cases)::int AS cases`)) as { people: number; cases: number }[];
    if (people + cases === 0) return;
    const [common] = (await q.query(`
      SELECT substr(urn, 1, 2) AS code FROM cases WHERE urn ~ '^[0-9]{2}'
      GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)) as { code: string }[];
    const code = common?.code ?? '01';
    const forceId = `force-${code}`;
    await q.query(`INSERT INTO forces (id, code, name) VALUES ($1, $2, $3)`, [forceId, code, `Force ${code}`]);
    await q.query(`INSERT INTO cps_areas (id, name) VALUES ($1, 'CPS area')`, [AREA_ID]);
    await q.query(`
      INSERT INTO units (id, name, organisation, force_id, area_id)
      SELECT unit, unit,
             CASE WHEN cps_only THEN 'cps' ELSE 'police' END,
             CASE WHEN cps_only THEN NULL ELSE $1 END,
             CASE WHEN cps_only THEN $2 END
      FROM (
        SELECT unit, bool_and(cps) AS cps_only FROM (
          SELECT unit, false AS cps FROM cases
          UNION ALL SELECT unit, organisation = 'cps' FROM people
        ) used GROUP BY unit
      ) units_in_use`, [forceId, AREA_ID]);
    await q.query(`
      INSERT INTO unit_services (police_unit_id, cps_unit_id)
      SELECT police.id, cps.id FROM units police CROSS JOIN units cps WHERE police.organisation = 'police' AND cps.organisation = 'cps'`);
    // CPS staff belong to the area even where they shared a unit id with the police; everyone else to the force.
    await q.query(`
      UPDATE people SET force_id = CASE WHEN organisation = 'cps' THEN NULL ELSE $1 END,
                        area_id = CASE WHEN organisation = 'cps' THEN $2 END`, [forceId, AREA_ID]);
    await q.query(`UPDATE cases SET force_id = $1`, [forceId]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP CONSTRAINT cases_unit_force_fkey`);
    await q.query(`DROP INDEX cases_force_stage_idx`);
    await q.query(`ALTER TABLE cases DROP COLUMN force_id`);
    await q.query(`ALTER TABLE people DROP CONSTRAINT people_unit_fkey`);
    await q.query(`DROP INDEX people_force_idx`);
    await q.query(`DROP INDEX people_area_idx`);
    await q.query(`ALTER TABLE people DROP CONSTRAINT people_force_or_area, DROP COLUMN force_id, DROP COLUMN area_id`);
    await q.query(`DROP TABLE unit_services`);
    await q.query(`DROP TABLE units`);
    await q.query(`DROP TABLE cps_areas`);
    await q.query(`DROP TABLE forces`);
  }
}
