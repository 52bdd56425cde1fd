package org.wagateway.idempotency;

import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.dao.DuplicateKeyException;

/**
 * Camel's JDBC idempotent repository, with one statement per call instead of a transaction around two.
 * <p>
 * Why: its {@code add} counts the id and then inserts it, and its {@code contains} wraps its one query in a
 * transaction; every message calls both, twice (webhook and CRM). The table's primary key (processor name, id)
 * already makes the insert itself the check: a duplicate id fails it, and that is the "already there" answer.
 * Both PostgreSQL and H2 report it as a duplicate key.
 */
public class SingleStatementIdRepository extends JdbcMessageIdRepository {

    public SingleStatementIdRepository(DataSource dataSource, String processorName) {
        super(dataSource, processorName);
    }

    @Override
    public boolean add(String key) {
        try {
            return insert(key) > 0;
        } catch (DuplicateKeyException alreadyThere) {
            return false;
        }
    }

    @Override
    public boolean contains(String key) {
        return queryForInt(key) > 0;
    }
}
