package dev.gatehouse.platform;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the console log format before logging starts ({@code gatehouse.log-format}, env
 * {@code GATEHOUSE_LOG_FORMAT}): {@code text} for a person, {@code ecs} (or Spring Boot's {@code logstash},
 * {@code gelf}) for a log pipeline. Unset, it picks for whoever reads the console: plain text when it is a
 * terminal (someone started Gatehouse by hand), ECS JSON when it is not (a container, a service manager, a
 * pipe). An explicit {@code logging.structured.format.console} still wins: this only supplies the default.
 */
class LogFormat implements EnvironmentPostProcessor {

    static final String PROPERTY = "gatehouse.log-format";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String console = structuredFormat(environment.getProperty(PROPERTY), onTerminal());
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "gatehouseLogFormat", Map.of("logging.structured.format.console", console)));
    }

    /** Spring Boot's structured console format for a setting: empty means plain text. */
    static String structuredFormat(@Nullable String setting, boolean terminal) {
        if (setting == null) return terminal ? "" : "ecs";
        String format = setting.strip().toLowerCase(Locale.ROOT);
        return format.isEmpty() || format.equals("text") || format.equals("plain") ? "" : format;
    }

    /**
     * Whether standard input and output are a terminal. {@link Console#isTerminal()} (JDK 22+) says so; on JDK 21
     * {@link System#console()} is null unless they are, and the method does not exist.
     */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
