package dev.gatehouse.organization;

import java.util.OptionalInt;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Unlimited seats until a module that knows plans provides its own {@link SeatPolicy}. */
@Configuration(proxyBeanMethods = false)
class SeatPolicyConfiguration {

    @Bean
    @ConditionalOnMissingBean(SeatPolicy.class)
    SeatPolicy unlimitedSeats() {
        return orgId -> OptionalInt.empty();
    }
}
