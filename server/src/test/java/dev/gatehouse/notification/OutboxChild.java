package dev.gatehouse.notification;

import dev.gatehouse.GatehouseApplication;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole Gatehouse application in a JVM of its own, for {@link KillNineEmailTest}: it starts, sends
 * {@code -Doutbox.emails=N} welcome emails through the real {@link Mailer}, printing {@code QUEUED <id>}
 * once each is committed, then {@code READY}, and keeps serving until it is killed.
 */
public final class OutboxChild {

    private OutboxChild() {}

    public static void main(String[] args) {
        ConfigurableApplicationContext app = SpringApplication.run(GatehouseApplication.class, args);
        Mailer mailer = app.getBean(Mailer.class);
        int count = Integer.getInteger("outbox.emails", 0);
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < count; i++) {
            UUID id = mailer.send(new Email(
                    "kill9-" + run + "-" + i + "@example.com", "welcome", Locale.ENGLISH, Map.of("name", "User " + i)));
            System.out.println("QUEUED " + id);
        }
        System.out.println("READY");
        System.out.flush();
    }
}
