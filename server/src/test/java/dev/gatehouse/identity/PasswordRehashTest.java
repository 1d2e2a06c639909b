package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** A hash made with older, cheaper Argon2 parameters is upgraded the next time its owner signs in. */
class PasswordRehashTest extends EndToEndTest {

    @Autowired
    JdbcClient db;

    @Test
    void signInUpgradesAHashMadeWithOlderParameters() {
        TestAccounts accounts = new TestAccounts(http, SMTP);
        TestAccounts.Account a = accounts.create("rehash");
        String old = new Argon2PasswordEncoder(16, 32, 1, 4096, 2).encode(TestAccounts.PASSWORD);
        db.sql("update users set password_hash = :hash where email = :email")
                .param("hash", old)
                .param("email", a.email())
                .update();

        accounts.login(a.email(), TestAccounts.PASSWORD);

        String now = db.sql("select password_hash from users where email = :email")
                .param("email", a.email())
                .query(String.class)
                .single();
        assertThat(now).isNotEqualTo(old).startsWith("$argon2id$v=19$m=7168,t=5,p=1$");
        accounts.login(a.email(), TestAccounts.PASSWORD);
    }
}
