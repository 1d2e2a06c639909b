package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The console log format: text for a person at a terminal, JSON for everything else, unless told. */
class LogFormatTest {

    @Test
    void unsetIsTextOnATerminalAndJsonElsewhere() {
        assertThat(LogFormat.structuredFormat(null, /* terminal= */ true)).isEmpty();
        assertThat(LogFormat.structuredFormat(null, /* terminal= */ false)).isEqualTo("ecs");
    }

    @Test
    void anExplicitSettingWinsWhereverTheConsoleIs() {
        for (boolean terminal : new boolean[] {true, false}) {
            assertThat(LogFormat.structuredFormat("text", terminal)).isEmpty();
            assertThat(LogFormat.structuredFormat("", terminal)).isEmpty();
            assertThat(LogFormat.structuredFormat(" ECS ", terminal)).isEqualTo("ecs");
            assertThat(LogFormat.structuredFormat("logstash", terminal)).isEqualTo("logstash");
        }
    }

    @Test
    void springBootsOwnPropertyStillWins() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "explicit", Map.of("logging.structured.format.console", "gelf", LogFormat.PROPERTY, "text")));
        new LogFormat().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("gelf");

        StandardEnvironment chosen = new StandardEnvironment();
        chosen.getPropertySources().addFirst(new MapPropertySource("setting", Map.of(LogFormat.PROPERTY, "ecs")));
        new LogFormat().postProcessEnvironment(chosen, new SpringApplication());
        assertThat(chosen.getProperty("logging.structured.format.console")).isEqualTo("ecs");
    }
}
