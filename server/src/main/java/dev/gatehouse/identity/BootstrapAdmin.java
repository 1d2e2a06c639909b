package dev.gatehouse.identity;

import dev.gatehouse.platform.AdvisoryLock;
import dev.gatehouse.platform.HttpSettings;
import dev.gatehouse.platform.OpaqueTokens;
import dev.gatehouse.platform.PlatformRole;
import dev.gatehouse.platform.RequestIds;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes sure a superadmin exists. On the first start, it is created from
 * {@code GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL}/{@code _PASSWORD}, or with a generated password printed
 * once to the console (never logged, never stored in clear). Then prints where Gatehouse listens.
 */
@Component
class BootstrapAdmin {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final Users users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final HttpSettings http;
    private final ApplicationEventPublisher events;
    private final String email;
    private final String password;

    BootstrapAdmin(
            Users users,
            PasswordHasher hasher,
            PasswordPolicy policy,
            JdbcClient db,
            TransactionTemplate tx,
            Clock clock,
            HttpSettings http,
            ApplicationEventPublisher events,
            @Value("${gatehouse.bootstrap-admin.email:admin@gatehouse.local}") String email,
            @Value("${gatehouse.bootstrap-admin.password:}") String password) {
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.db = db;
        this.tx = tx;
        this.clock = clock;
        this.http = http;
        this.events = events;
        this.email = email;
        this.password = password;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ensureSuperadmin() {
        EmailAddress address = EmailAddress.of(email);
        if (users.anyWithRole(PlatformRole.SUPERADMIN)) {
            // The bootstrap settings matter only until a superadmin exists; later starts ignore them.
            announce();
            return;
        }
        boolean generated = password.isBlank();
        String secret = generated ? OpaqueTokens.prefixed("").generate().substring(0, 24) : password;
        if (!generated) policy.check(secret, address.value(), "Administrator");
        String hash = hasher.hash(secret);
        Boolean created = tx.execute(status -> {
            AdvisoryLock.BOOTSTRAP_ADMIN.acquire(db);
            if (users.anyWithRole(PlatformRole.SUPERADMIN)) return false;
            Instant now = clock.instant();
            User admin = User.register(
                    address.value(),
                    now,
                    hash,
                    "Administrator",
                    "en",
                    Set.of(PlatformRole.USER, PlatformRole.SUPERADMIN),
                    now);
            users.insert(admin);
            // The bootstrap admin skips registration, so it announces itself the same way: other
            // modules (a personal organization) set the account up like any other.
            events.publishEvent(new UserRegistered(
                    admin.id(), admin.email(), admin.name(), admin.locale(), RequestIds.current(), now));
            return true;
        });
        PrintStream out = System.out;
        if (Boolean.TRUE.equals(created)) {
            log.info("bootstrap_admin_created email={}", address.value());
            out.println();
            out.println("================================================================");
            out.println(" Gatehouse bootstrap superadmin (printed once; keep it safe)");
            out.println("   email:    " + address.value());
            out.println("   password: " + (generated ? secret : "(from GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD)"));
            out.println("================================================================");
        }
        announce();
    }

    private void announce() {
        System.out.println(" Gatehouse is ready at " + http.base() + "  (API reference: " + http.base() + "/docs)");
        System.out.println();
    }
}
