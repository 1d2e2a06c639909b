package dev.gatehouse.platform;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3.1 document at {@code /api/v1/openapi.json} (browsable at {@code /docs}): bearer
 * authentication by default, lifted for the routes that declare {@link Permission#PUBLIC},
 * and deprecated operations flagged from {@link DeprecatedRoute}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** Version of the v1 contract; bumped with each entry in the changelog. */
    static final String API_VERSION = "1.0.0";

    static final String BEARER = "bearer";

    @Bean
    OpenAPI gatehouseOpenApi() {
        return new OpenAPI()
                .specVersion(SpecVersion.V31)
                .info(
                        new Info()
                                .title("Gatehouse API")
                                .version(API_VERSION)
                                .description(
                                        "The Gatehouse control plane. Errors are RFC 9457 problem details"
                                                + " (application/problem+json) with a stable type, a machine code and the request id;"
                                                + " POSTs outside /api/v1/auth accept an Idempotency-Key header (replayed for 24 hours)."))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description("An access JWT from POST /api/v1/auth/login; on the service routes"
                                                + " (POST /api/v1/keys/verify), a service key gh_sk_...")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** Public routes say so ({@code security: []}), so clients and the UI send no token to them. */
    @Bean
    OperationCustomizer publicRoutesNeedNoToken() {
        return (operation, handler) -> {
            if (PermissionInterceptor.isPublic(handler)) operation.setSecurity(List.of());
            return operation;
        };
    }

    @Bean
    OperationCustomizer deprecatedRoutes(DeprecationInterceptor deprecations) {
        return (operation, handler) -> {
            deprecations.sunsetOf(handler).ifPresent(sunset -> {
                operation.setDeprecated(true);
                String note = "Deprecated: this route stops answering after " + sunset + ".";
                operation.setDescription(
                        operation.getDescription() == null ? note : operation.getDescription() + "\n\n" + note);
            });
            return operation;
        };
    }
}
