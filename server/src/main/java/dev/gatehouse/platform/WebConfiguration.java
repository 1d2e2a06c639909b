package dev.gatehouse.platform;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Spring MVC hooks of the platform: the deprecation headers of {@link DeprecatedRoute}. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final DeprecationInterceptor deprecations;

    WebConfiguration(DeprecationInterceptor deprecations) {
        this.deprecations = deprecations;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(deprecations);
    }
}
