package dev.gatehouse.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.ApplicationModule;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI 3.1 document at {@code /api/v1/openapi.json} (browsable at {@code /docs}), made to tell the
 * truth about the API rather than about its Java classes:
 *
 * <ul>
 *   <li>member names come from the API's own JSON mapper (its naming strategy, {@code spring.jackson.*}), so
 *       the document says {@code refresh_token} exactly when the API reads and writes {@code refresh_token};
 *   <li>{@code required} and the string and array minimums follow the records ({@link ApiSchemaRules});
 *   <li>every operation states its security from its {@link RequiresPermission} (none for
 *       {@link Permission#PUBLIC}, the service key for the permissions {@link PlatformRole#SERVICE} holds, else a
 *       bearer token),
 *       its tag from its module, and its problem responses (application/problem+json, {@value #PROBLEM});
 *   <li>deprecated operations are flagged from {@link DeprecatedRoute}.
 * </ul>
 *
 * The end-to-end suite validates every response it gets against this document, a client generated from the
 * committed copy ({@code docs/openapi.json}) signs in, and a test keeps that copy equal to this document.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** Version of the v1 contract; bumped with each entry in the changelog. */
    static final String API_VERSION = "1.0.0";

    static final String BEARER = "bearer";
    static final String SERVICE_KEY = "service_key";
    static final String ORG_KEY = "org_key";
    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OpenAPI gatehouseOpenApi() {
        return new OpenAPI()
                .specVersion(SpecVersion.V31)
                .info(new Info()
                        .title("Gatehouse API")
                        .version(API_VERSION)
                        .description("The Gatehouse control plane. Member names are snake_case. Errors are RFC 9457"
                                + " problem details (application/problem+json) with a stable type, a machine code"
                                + " and the request id; POSTs outside /api/v1/auth accept an Idempotency-Key header"
                                + " (replayed for 24 hours)."))
                // Relative: the server is the one that serves this document, whatever its address.
                .servers(List.of(new Server().url("/").description("The Gatehouse serving this document")))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description("An access JWT from POST /api/v1/auth/login."))
                        .addSecuritySchemes(
                                SERVICE_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("gh_sk_...")
                                        .description("A service key (gh_sk_...) an admin created for the product's"
                                                + " backend, sent as Authorization: Bearer gh_sk_..."))
                        .addSecuritySchemes(
                                ORG_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("gh_pk_...")
                                        .description("An organization's API key (gh_pk_...), sent as Authorization:"
                                                + " Bearer gh_pk_...; it acts for its own organization, as far as its"
                                                + " scopes allow (usage:write to send usage events)."))
                        .addSchemas("FieldError", fieldError())
                        .addSchemas(PROBLEM, problem()));
    }

    /**
     * swagger-core reads the records with a Jackson 2 mapper of its own, while the API speaks through Spring's
     * Jackson 3 {@link JsonMapper}: this resolver (replacing springdoc's default, same class) names members
     * with the API mapper's strategy, so the two cannot disagree.
     */
    @Bean
    ModelResolver apiModelResolver(JsonMapper api) {
        UnaryOperator<String> wire = wireNames(api);
        ObjectMapper mapper = Json31.mapper()
                .copy()
                .setPropertyNamingStrategy(new com.fasterxml.jackson.databind.PropertyNamingStrategies.NamingBase() {
                    @Override
                    public String translate(String name) {
                        return wire.apply(name);
                    }
                });
        return new ModelResolver(mapper).openapi31(true);
    }

    @Bean
    ApiSchemaRules apiSchemaRules(JsonMapper api) {
        return new ApiSchemaRules(wireNames(api));
    }

    /** The API mapper's naming strategy as a function; only strategies that translate names can be shared. */
    static UnaryOperator<String> wireNames(JsonMapper api) {
        PropertyNamingStrategy strategy = api.serializationConfig().getPropertyNamingStrategy();
        if (strategy == null) return UnaryOperator.identity();
        if (strategy instanceof PropertyNamingStrategies.NamingBase base) {
            return name -> base.nameForField(null, null, name);
        }
        throw new IllegalStateException("The OpenAPI document can follow only a name-translating Jackson naming"
                + " strategy (PropertyNamingStrategies.*), not "
                + strategy.getClass().getName());
    }

    @Bean
    OperationCustomizer operationContract(DeprecationInterceptor deprecations) {
        return (operation, handler) -> {
            operation.setTags(List.of(moduleOf(handler)));
            operation.setSecurity(securityOf(handler));
            problemResponses(operation, handler);
            deprecations.sunsetOf(handler).ifPresent(sunset -> {
                operation.setDeprecated(true);
                String note = "Deprecated: this route stops answering after " + sunset + ".";
                operation.setDescription(
                        operation.getDescription() == null ? note : operation.getDescription() + "\n\n" + note);
            });
            return operation;
        };
    }

    /**
     * A last pass over the whole document: the record rules ({@link ApiSchemaRules}), no {@code minLength: 0}
     * noise, the tags listed in order.
     */
    @Bean
    OpenApiCustomizer documentContract(ApiSchemaRules schemaRules) {
        return openApi -> {
            Set<String> tags = new TreeSet<>();
            if (openApi.getPaths() != null) {
                openApi.getPaths()
                        .values()
                        .forEach(item -> item.readOperations().forEach(operation -> {
                            if (operation.getTags() != null) tags.addAll(operation.getTags());
                            if (operation.getParameters() != null) {
                                operation.getParameters().forEach(p -> dropZeroMinimums(p.getSchema()));
                            }
                        }));
            }
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                schemaRules.apply(openApi.getComponents().getSchemas());
                openApi.getComponents().getSchemas().values().forEach(OpenApiConfiguration::dropZeroMinimums);
            }
            openApi.setTags(tags.stream()
                    .map(name -> new io.swagger.v3.oas.models.tags.Tag().name(name))
                    .toList());
        };
    }

    /** The operation's module, by its display name ({@code @ApplicationModule}); one tag per module. */
    static String moduleOf(HandlerMethod handler) {
        String pkg = handler.getBeanType().getPackageName();
        String[] parts = pkg.split("\\.");
        String root = parts.length >= 3 ? String.join(".", parts[0], parts[1], parts[2]) : pkg;
        try {
            Class<?> info = ClassUtils.forName(
                    root + ".package-info", handler.getBeanType().getClassLoader());
            ApplicationModule module = info.getAnnotation(ApplicationModule.class);
            if (module != null && !module.displayName().isEmpty()) return module.displayName();
        } catch (ClassNotFoundException | LinkageError e) {
            // No package-info: fall back to the package name.
        }
        return parts[parts.length >= 3 ? 2 : parts.length - 1];
    }

    static List<SecurityRequirement> securityOf(HandlerMethod handler) {
        Permission permission =
                PermissionInterceptor.ours(handler) ? PermissionInterceptor.permissionOf(handler) : Permission.PUBLIC;
        if (permission == null || permission == Permission.PUBLIC) return List.of();
        boolean service = permission.roles().contains(PlatformRole.SERVICE);
        boolean orgKey = permission.roles().contains(PlatformRole.ORG_KEY);
        boolean people = permission.roles().stream().anyMatch(PlatformRole.ASSIGNABLE::contains);
        // Either requirement satisfies the operation: a route several may call lists each scheme.
        List<SecurityRequirement> schemes = new ArrayList<>();
        if (people) schemes.add(new SecurityRequirement().addList(BEARER));
        if (service) schemes.add(new SecurityRequirement().addList(SERVICE_KEY));
        if (orgKey) schemes.add(new SecurityRequirement().addList(ORG_KEY));
        return schemes;
    }

    /**
     * The problems any operation of its kind can answer, each as application/problem+json; {@code default}
     * covers the ones particular to the operation (409, 422, 429, ...), which its description and
     * {@code docs/api.md} name.
     */
    static void problemResponses(Operation operation, HandlerMethod handler) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        boolean body = false;
        boolean path = false;
        for (var parameter : handler.getMethodParameters()) {
            body |= parameter.hasParameterAnnotation(RequestBody.class);
            path |= parameter.hasParameterAnnotation(PathVariable.class);
        }
        boolean signedIn = !securityOf(handler).isEmpty();
        Map<String, String> problems = new LinkedHashMap<>();
        problems.put("400", "Bad request: validation_failed (see errors), malformed_json, invalid_parameter, ...");
        if (signedIn) {
            problems.put("401", "unauthenticated: no valid bearer token (or session_revoked, ...)");
            problems.put("403", "forbidden: the caller lacks the permission");
        }
        if (path) problems.put("404", "not_found: no such resource, or not visible to the caller");
        if (body) {
            problems.put("413", "payload_too_large: the body is over the size limit");
            problems.put("415", "unsupported_media_type: the body must be application/json");
        }
        problems.put("default", "Any other problem, with its code");
        List<String> order = new ArrayList<>(responses.keySet());
        problems.forEach((status, description) -> {
            if (!responses.containsKey(status)) {
                responses.addApiResponse(status, problemResponse(description));
                order.add(status);
            }
        });
        // Success codes first, then problems by status, default last: a stable, readable order.
        ApiResponses sorted = new ApiResponses();
        order.stream()
                .sorted((a, b) -> a.equals("default") ? 1 : b.equals("default") ? -1 : a.compareTo(b))
                .forEach(status -> sorted.addApiResponse(status, responses.get(status)));
        operation.setResponses(sorted);
    }

    private static ApiResponse problemResponse(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                PROBLEM_JSON,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    /** RFC 9457 members plus Gatehouse's own; problem types may add members (mfa_token, permission, ...). */
    private static Schema<?> problem() {
        return object("An RFC 9457 problem. Members particular to one code (mfa_token, expires_in, permission,"
                        + " limit, seat_limit, max_age_seconds) are named in docs/api.md.")
                .addProperty("type", string("The problem type, a stable URI").format("uri"))
                .addProperty("title", string("A short summary of the problem type"))
                .addProperty("status", new Schema<>().types(Set.of("integer")).format("int32"))
                .addProperty("detail", string("What went wrong this time, for a person"))
                .addProperty("instance", string("The request path"))
                .addProperty("code", string("The machine code, e.g. validation_failed"))
                .addProperty("request_id", string("The request id (X-Request-Id), also in the logs"))
                .addProperty(
                        "errors",
                        new Schema<>()
                                .types(Set.of("array"))
                                .description("Field errors, on validation_failed")
                                .items(new Schema<>().$ref("#/components/schemas/FieldError")))
                .required(List.of("type", "title", "status", "code"))
                .additionalProperties(true);
    }

    private static Schema<?> fieldError() {
        return object("One invalid field")
                .addProperty("field", string("The member, in snake_case; empty for the body as a whole"))
                .addProperty("message", string("What is wrong with it"))
                .required(List.of("field", "message"));
    }

    private static Schema<Object> object(String description) {
        return new Schema<>().types(Set.of("object")).description(description);
    }

    private static Schema<Object> string(String description) {
        return new Schema<>().types(Set.of("string")).description(description);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void dropZeroMinimums(Schema schema) {
        if (schema == null) return;
        if (Integer.valueOf(0).equals(schema.getMinLength())) schema.setMinLength(null);
        if (Integer.valueOf(0).equals(schema.getMinItems())) schema.setMinItems(null);
        if (schema.getItems() != null) dropZeroMinimums(schema.getItems());
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).values().forEach(OpenApiConfiguration::dropZeroMinimums);
        }
    }
}
