package dev.gatehouse.support;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads what a check constraint accepts, so a test can hold it equal to the Java enum the list is written in:
 * the string literals of a check such as {@code status in ('active', 'suspended')}.
 */
public final class CheckConstraints {

    private static final Pattern LITERAL = Pattern.compile("'((?:[^']|'')*)'::text");

    private CheckConstraints() {}

    /** The string literals in the named check constraint of the table; fails if there is no such constraint. */
    public static Set<String> literals(JdbcClient db, String table, String constraint) {
        String definition = db.sql("""
                        select pg_get_constraintdef(c.oid) from pg_constraint c join pg_class t on t.oid = c.conrelid
                        where t.relname = :table and c.conname = :constraint and c.contype = 'c'
                        """)
                .param("table", table)
                .param("constraint", constraint)
                .query(String.class)
                .single();
        Set<String> literals = new TreeSet<>();
        Matcher m = LITERAL.matcher(definition);
        while (m.find()) literals.add(m.group(1).replace("''", "'"));
        return literals;
    }
}
