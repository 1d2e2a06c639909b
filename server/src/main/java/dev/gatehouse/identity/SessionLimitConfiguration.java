package dev.gatehouse.identity;

import java.util.OptionalInt;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** No session limit until a module that knows plans provides its own {@link SessionLimit}. */
@Configuration(proxyBeanMethods = false)
class SessionLimitConfiguration {

    @Bean
    @ConditionalOnMissingBean(SessionLimit.class)
    SessionLimit unlimitedSessions() {
        return userId -> OptionalInt.empty();
    }
}
