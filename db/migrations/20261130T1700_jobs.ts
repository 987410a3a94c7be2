import { sql, type Kysely } from 'kysely'

// Jobs (加工需求) with their CAD parts, invitations, NDA acceptances and the download log.
// Forward-only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // null: "not sure — suggest one"
    .addColumn('process', 'text')
    .addColumn('material', 'text', (c) => c.references('materials.code'))
    .addColumn('tolerance_mm', 'double precision', (c) =>
      c.notNull().check(sql`tolerance_mm > 0 and tolerance_mm <= 10`),
    )
    .addColumn('finish', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('needs_sample', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('deadline', 'date', (c) => c.notNull())
    .addColumn('budget_fen', 'bigint', (c) => c.check(sql`budget_fen is null or budget_fen > 0`))
    .addColumn('delivery_town', 'text', (c) => c.notNull())
    .addColumn('delivery_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('visibility', 'text', (c) =>
      c
        .notNull()
        .defaultTo('public')
        .check(sql`visibility in ('public', 'invited')`),
    )
    .addColumn('nda_required', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'open', 'closed', 'cancelled')`),
    )
    .addColumn('opened_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index jobs_organization_idx on jobs (organization_id, status, created_at desc)`.execute(
    db,
  )
  await sql`create index jobs_open_idx on jobs (status, visibility, opened_at desc)`.execute(db)

  // A CAD file a design firm uploaded, with its geometry analysis. A file belongs to its
  // organisation and is attached to at most one job (job_parts).
  await db.schema
    .createTable('job_files')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('uploaded_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) =>
      c.notNull().check(sql`format in ('stl', '3mf', 'obj', 'step', 'dxf')`),
    )
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('units', 'text', (c) =>
      c
        .notNull()
        .defaultTo('mm')
        .check(sql`units in ('mm', 'inch')`),
    )
    .addColumn('analysis_status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`analysis_status in ('pending', 'done', 'failed')`),
    )
    // As measured, in file units (scaled by `units` when shown): kind, volume, area, bbox …
    .addColumn('analysis', 'jsonb')
    .addColumn('analysis_error_code', 'text')
    .addColumn('analysis_error', 'text')
    .addColumn('analysed_at', 'timestamptz')
    // Derived objects in storage: a binary STL for the 3D preview (mesh formats other than
    // binary STL), a PNG thumbnail, an SVG for DXF.
    .addColumn('preview_key', 'text')
    .addColumn('thumbnail_key', 'text')
    .addColumn('svg_key', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index job_files_organization_idx on job_files (organization_id, created_at desc)`.execute(
    db,
  )

  await db.schema
    .createTable('job_parts')
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('file_id', 'uuid', (c) =>
      c.notNull().unique().references('job_files.id').onDelete('cascade'),
    )
    .addColumn('quantity', 'integer', (c) =>
      c.notNull().check(sql`quantity > 0 and quantity <= 10000000`),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_parts_pkey', ['job_id', 'file_id'])
    .execute()

  await db.schema
    .createTable('job_invitations')
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('invited_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('job_invitations_pkey', ['job_id', 'organization_id'])
    .execute()
  await sql`create index job_invitations_organization_idx on job_invitations (organization_id)`.execute(
    db,
  )

  // The click-through NDA: one acceptance per job and workshop, with who and when.
  await db.schema
    .createTable('nda_acceptances')
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('accepted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('nda_acceptances_pkey', ['job_id', 'organization_id'])
    .execute()

  await db.schema
    .createTable('file_downloads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('file_id', 'uuid', (c) => c.notNull().references('job_files.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('organization_id', 'uuid', (c) =>
      c.references('organizations.id').onDelete('set null'),
    )
    .addColumn('ip', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index file_downloads_file_idx on file_downloads (file_id, created_at desc)`.execute(
    db,
  )
}
