import { sql, type Kysely } from 'kysely'

// Workshop profiles and verification, files, the material catalogue, resources (machines
// and lines) and their capacity. Forward-only.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists btree_gist`.execute(db)

  await db.schema
    .alterTable('organizations')
    .addColumn('legal_name', 'text')
    .addColumn('uscc', 'text') // 统一社会信用代码
    .addColumn('address', 'text')
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('description', 'text')
    .addColumn('clusters', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('certifications', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('verification_status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('unsubmitted')
        .check(sql`verification_status in ('unsubmitted', 'pending', 'verified', 'rejected')`),
    )
    .addColumn('verification_note', 'text')
    .addColumn('verification_requested_at', 'timestamptz')
    .addColumn('verified_at', 'timestamptz')
    .addColumn('verified_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('rating', sql`numeric(3,2)`)
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index organizations_uscc_idx on organizations (uscc) where uscc is not null`.execute(
    db,
  )
  await sql`create index organizations_verification_idx on organizations (verification_status, verification_requested_at)`.execute(
    db,
  )

  await db.schema
    .createTable('materials')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[a-z0-9_]{2,40}$'`))
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('families', sql`text[]`, (c) => c.notNull())
    .addColumn('density_g_cm3', sql`numeric(8,3)`, (c) => c.notNull().check(sql`density_g_cm3 > 0`))
    .addColumn('price_fen_per_kg', 'bigint', (c) => c.notNull().check(sql`price_fen_per_kg >= 0`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  const m = (
    code: string,
    zh: string,
    en: string,
    families: string[],
    density: number,
    yuanPerKg: number,
  ) => ({
    code,
    name_zh: zh,
    name_en: en,
    families: sql`${`{${families.join(',')}}`}::text[]`,
    density_g_cm3: density,
    price_fen_per_kg: Math.round(yuanPerKg * 100),
  })
  await db
    .insertInto('materials')
    .values([
      m('al6061', '铝合金 6061', 'Aluminium 6061', ['subtractive', 'sheet', 'hourly'], 2.7, 28),
      m('al7075', '铝合金 7075', 'Aluminium 7075', ['subtractive', 'hourly'], 2.81, 60),
      m('al5052', '铝板 5052', 'Aluminium 5052 sheet', ['sheet', 'hourly'], 2.68, 30),
      m(
        'adc12',
        '压铸铝 ADC12',
        'Die-cast aluminium ADC12',
        ['subtractive', 'moulding', 'hourly'],
        2.74,
        22,
      ),
      m('ss304', '不锈钢 304', 'Stainless steel 304', ['subtractive', 'sheet', 'hourly'], 7.93, 25),
      m('ss316', '不锈钢 316', 'Stainless steel 316', ['subtractive', 'sheet', 'hourly'], 7.98, 40),
      m('steel45', '45号钢', 'C45 carbon steel', ['subtractive', 'hourly'], 7.85, 8),
      m('q235', 'Q235 碳钢板', 'Q235 mild steel sheet', ['sheet'], 7.85, 6),
      m('brass_h59', '黄铜 H59', 'Brass H59', ['subtractive', 'hourly'], 8.4, 60),
      m('copper_t2', '紫铜 T2', 'Copper T2', ['subtractive', 'sheet', 'hourly'], 8.9, 75),
      m(
        'ti_tc4',
        '钛合金 TC4',
        'Titanium Ti-6Al-4V',
        ['subtractive', 'additive', 'hourly'],
        4.43,
        300,
      ),
      m('pom', '聚甲醛 POM', 'POM (acetal)', ['subtractive', 'moulding'], 1.41, 25),
      m('abs', 'ABS 塑料', 'ABS', ['subtractive', 'moulding', 'additive'], 1.05, 20),
      m('pc', '聚碳酸酯 PC', 'Polycarbonate PC', ['subtractive', 'moulding'], 1.2, 30),
      m('pa66', '尼龙 PA66', 'Nylon PA66', ['subtractive', 'moulding'], 1.14, 30),
      m('pp', '聚丙烯 PP', 'Polypropylene PP', ['moulding'], 0.9, 12),
      m('pmma', '亚克力 PMMA', 'Acrylic PMMA', ['subtractive', 'sheet'], 1.19, 30),
      m('pla', 'PLA 线材', 'PLA filament', ['additive'], 1.24, 120),
      m('petg', 'PETG 线材', 'PETG filament', ['additive'], 1.27, 120),
      m('resin_std', '标准光敏树脂', 'Standard photopolymer resin', ['additive'], 1.15, 400),
      m('resin_tough', '韧性光敏树脂', 'Tough photopolymer resin', ['additive'], 1.18, 600),
      m('pa12', '尼龙 PA12 粉末', 'Nylon PA12 powder', ['additive'], 1.01, 500),
      m('ss316l_powder', '316L 不锈钢粉末', '316L stainless powder', ['additive'], 7.9, 800),
      m('alsi10mg', '铝合金粉末 AlSi10Mg', 'AlSi10Mg aluminium powder', ['additive'], 2.67, 900),
      m('plywood', '多层实木板', 'Plywood', ['subtractive', 'sheet'], 0.6, 8),
      m('oak', '橡木', 'Oak', ['subtractive', 'hourly'], 0.75, 30),
      m('mdf', '中密度纤维板 MDF', 'MDF', ['subtractive', 'sheet'], 0.75, 4),
      m('cotton', '棉布', 'Cotton fabric', ['hourly'], 1.54, 40),
      m('polyester', '涤纶面料', 'Polyester fabric', ['hourly'], 1.38, 25),
      m('leather', '皮革', 'Leather', ['hourly', 'sheet'], 0.86, 150),
    ])
    .execute()

  await db.schema
    .createTable('resources')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('process', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('make', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('model', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('materials', sql`text[]`, (c) => c.notNull())
    .addColumn('envelope_x_mm', sql`numeric(8,1)`, (c) => c.notNull())
    .addColumn('envelope_y_mm', sql`numeric(8,1)`, (c) => c.notNull())
    .addColumn('envelope_z_mm', sql`numeric(8,1)`, (c) => c.notNull())
    .addColumn('tolerance_mm', sql`numeric(8,4)`, (c) => c.notNull().check(sql`tolerance_mm > 0`))
    .addColumn('finishes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('hourly_rate_fen', 'bigint', (c) => c.notNull().check(sql`hourly_rate_fen >= 0`))
    .addColumn('setup_fee_fen', 'bigint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`setup_fee_fen >= 0`),
    )
    .addColumn('min_quantity', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`min_quantity >= 1`),
    )
    .addColumn('max_quantity', 'integer')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'resources_envelope_check',
      sql`envelope_x_mm > 0 and envelope_y_mm > 0 and envelope_z_mm > 0 and envelope_x_mm <= 10000 and envelope_y_mm <= 10000 and envelope_z_mm <= 10000`,
    )
    .addCheckConstraint(
      'resources_quantity_check',
      sql`max_quantity is null or max_quantity >= min_quantity`,
    )
    .execute()
  await db.schema
    .createIndex('resources_organization_idx')
    .on('resources')
    .column('organization_id')
    .execute()

  await db.schema
    .createTable('capacity_windows')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('resource_id', 'uuid', (c) =>
      c.notNull().references('resources.id').onDelete('cascade'),
    )
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull()) // inclusive
    .addColumn('hours_per_day', sql`numeric(4,1)`, (c) =>
      c.notNull().check(sql`hours_per_day > 0 and hours_per_day <= 24`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('capacity_windows_range_check', sql`ends_on >= starts_on`)
    .execute()
  // Two windows of one resource never cover the same day.
  await sql`alter table capacity_windows add constraint capacity_windows_no_overlap
    exclude using gist (resource_id with =, daterange(starts_on, ends_on, '[]') with &&)`.execute(
    db,
  )

  await db.schema
    .createTable('capacity_bookings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('resource_id', 'uuid', (c) =>
      c.notNull().references('resources.id').onDelete('cascade'),
    )
    .addColumn('order_id', 'uuid')
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('hours', sql`numeric(8,1)`, (c) => c.notNull().check(sql`hours > 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('capacity_bookings_range_check', sql`ends_on >= starts_on`)
    .execute()
  await db.schema
    .createIndex('capacity_bookings_resource_idx')
    .on('capacity_bookings')
    .column('resource_id')
    .execute()

  // Uploaded files: certificates, business licence, workshop and machine photos (later: CAD).
  await db.schema
    .createTable('files')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('purpose', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`purpose in ('certificate', 'business_license', 'workshop_photo', 'resource_photo')`,
        ),
    )
    .addColumn('resource_id', 'uuid', (c) => c.references('resources.id').onDelete('cascade'))
    .addColumn('certification', 'text')
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('files_organization_idx')
    .on('files')
    .columns(['organization_id', 'purpose'])
    .execute()
  await db.schema.createIndex('files_resource_idx').on('files').column('resource_id').execute()
}
