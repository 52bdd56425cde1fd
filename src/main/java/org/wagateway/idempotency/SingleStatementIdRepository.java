package org.wagateway.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.util.HexFormat;
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
 * <p>
 * An id longer than the column ({@link #MAX_STORED_LENGTH}) is kept as its SHA-256 digest: the record is written
 * after the webhook's 200, so an insert refused for its length would let the provider's retry be stored again.
 */
public class SingleStatementIdRepository extends JdbcMessageIdRepository {

    /** The width of the id column, {@code messageId VARCHAR(512)} in {@link IdempotencyConfiguration}. */
    static final int MAX_STORED_LENGTH = 512;

    private static final String EXISTS =
            "SELECT 1 FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId = ?";

    public SingleStatementIdRepository(DataSource dataSource, String processorName) {
        super(dataSource, processorName);
    }

    /** The id as the table keeps it: itself, or {@code sha256:<hex>} when it is wider than the column. */
    static String storedKey(String key) {
        if (key.length() <= MAX_STORED_LENGTH) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Whether the row is there, as a plain key lookup: Camel's {@code SELECT COUNT(*)} makes the database run an
     * aggregate over the one row the primary key finds.
     */
    @Override
    protected int queryForInt(String key) {
        Boolean found = jdbcTemplate.query(EXISTS, ResultSet::next, processorName, storedKey(key));
        return Boolean.TRUE.equals(found) ? 1 : 0;
    }

    @Override
    protected int insert(String key) {
        return super.insert(storedKey(key));
    }

    @Override
    protected int delete(String key) {
        return super.delete(storedKey(key));
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
