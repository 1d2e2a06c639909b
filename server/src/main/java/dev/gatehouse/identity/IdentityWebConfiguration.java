package dev.gatehouse.identity;

import dev.gatehouse.platform.PlatformRole;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query parameters that name a status or a role are read by the enum's own wire names ({@code ?status=active},
 * {@code ?role=support}); Spring's default would want the constant's name. A value that is neither is a 400
 * {@code invalid_parameter}.
 */
@Configuration(proxyBeanMethods = false)
class IdentityWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, UserStatus.class, UserStatus::of);
        // Only roles a person can hold: no user has the service role, so asking for it is a mistake.
        registry.addConverter(String.class, PlatformRole.class, PlatformRole::assignable);
    }
}
