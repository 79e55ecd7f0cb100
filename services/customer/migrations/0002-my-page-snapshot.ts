import type { QueryInterface } from 'sequelize';
import type { Migration } from '@funshop/platform/db/migrations';

/**
 * Stored events are compacted: those older than the retention are folded into a snapshot of the
 * my page and deleted. A rebuild starts from the snapshot and replays the events that remain.
 */
export const myPageSnapshot: Migration = {
  name: '0002-my-page-snapshot',
  async up(queryInterface: QueryInterface) {
    // The same columns as the read model, so a rebuild copies it over as it is. A migration that
    // changes one of the two tables changes the other.
    await queryInterface.sequelize.query('CREATE TABLE my_page_snapshot (LIKE my_page_orders INCLUDING ALL)');
    // The last stored event folded into the snapshot: every event up to it was deleted.
    await queryInterface.sequelize.query(`CREATE TABLE stored_events_checkpoint (
      id SMALLINT PRIMARY KEY CHECK (id = 1),
      position BIGINT NOT NULL,
      compacted_at TIMESTAMPTZ NOT NULL)`);
    await queryInterface.sequelize.query('INSERT INTO stored_events_checkpoint (id, position, compacted_at) VALUES (1, 0, now())');
  },
  async down(queryInterface: QueryInterface) {
    await queryInterface.dropTable('stored_events_checkpoint');
    await queryInterface.dropTable('my_page_snapshot');
  },
};
