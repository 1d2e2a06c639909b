package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Stored hashes stay interchangeable with Spring Security's Argon2 encoder (same PHC strings). */
class PasswordHasherTest {

    private static final String PASSWORD = "Seven quiet otters juggle lanterns";

    private final PasswordHasher hasher = new PasswordHasher(settings(Map.of()));
    private final Argon2PasswordEncoder spring = new Argon2PasswordEncoder(16, 32, 1, 7168, 5);

    @Test
    void ourHashesVerifyWithSpringAndTheirsWithOurs() {
        String ours = hasher.hash(PASSWORD);
        assertThat(ours).startsWith("$argon2id$v=19$m=7168,t=5,p=1$");
        assertThat(spring.matches(PASSWORD, ours)).isTrue();
        assertThat(spring.matches(PASSWORD + "x", ours)).isFalse();

        String theirs = spring.encode(PASSWORD);
        assertThat(hasher.matches(PASSWORD, theirs)).isTrue();
        assertThat(hasher.matches(PASSWORD + "x", theirs)).isFalse();
        assertThat(hasher.needsRehash(theirs)).isFalse();
    }

    @Test
    void otherParametersVerifyAndAskForARehash() {
        String cheaper = new Argon2PasswordEncoder(16, 32, 2, 4096, 2).encode(PASSWORD);
        assertThat(hasher.matches(PASSWORD, cheaper)).isTrue();
        assertThat(hasher.needsRehash(cheaper)).isTrue();

        PasswordHasher stronger = new PasswordHasher(settings(Map.of("gatehouse.auth.argon2.iterations", "6")));
        assertThat(stronger.needsRehash(hasher.hash(PASSWORD))).isTrue();
    }

    @Test
    void malformedStoredHashesNeverMatch() {
        for (String stored : new String[] {
            "",
            "plain",
            "$argon2i$v=19$m=7168,t=5,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "$argon2id$v=16$m=7168,t=5,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "$2a$10$abcdefghijklmnopqrstuv"
        }) {
            assertThat(hasher.matches(PASSWORD, stored)).as(stored).isFalse();
            assertThat(hasher.needsRehash(stored)).as(stored).isTrue();
        }
    }

    private static AuthSettings settings(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("gatehouse.auth", AuthSettings.class);
    }
}
