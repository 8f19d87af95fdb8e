import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen in time: must not import application code. Photos taken on a patrol (巡查照片): the bytes
// live in the attachment store (content-addressed, like case attachments); a row per photo of a
// patrol, unique per (patrol, content) so a phone that sends a photo again adds nothing.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const table = db.schema.createTable('patrol_photos');
  await (pg ? table.addColumn('id', 'serial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('patrol_id', 'integer', (c) => c.notNull().references('patrols.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('taken_at', 'text')
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patrol_photos_content_idx').on('patrol_photos').columns(['patrol_id', 'sha256']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('patrol_photos').execute();
}
