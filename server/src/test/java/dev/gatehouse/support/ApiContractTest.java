package dev.gatehouse.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The response check every end-to-end test goes through catches what a wrong document would let through: a
 * member named differently from the wire, a missing required member, an undocumented status, a problem served
 * as plain JSON.
 */
class ApiContractTest {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
             "paths": {"/api/v1/auth/token/refresh": {"post": {"responses": {
               "200": {"description": "tokens", "content": {"application/json": {"schema": {
                 "$ref": "#/components/schemas/TokenResponse"}}}},
               "default": {"description": "a problem", "content": {"application/problem+json": {"schema": {
                 "type": "object", "additionalProperties": true}}}}}}}},
             "components": {"schemas": {"TokenResponse": {"type": "object",
               "properties": {"access_token": {"type": "string"}, "refresh_token": {"type": "string"}},
               "required": ["access_token", "refresh_token"]}}}}
            """;

    private final OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(
                    DOCUMENT)
            .build();

    private List<String> check(int status, String type, String body) {
        return ApiContract.violations(
                validator, "POST", "/api/v1/auth/token/refresh", status, Map.of("Content-Type", List.of(type)), body);
    }

    @Test
    void aDescribedAnswerPasses() {
        assertThat(check(200, "application/json", "{\"access_token\":\"a\",\"refresh_token\":\"r\"}"))
                .isEmpty();
        assertThat(check(401, "application/problem+json", "{\"code\":\"invalid_refresh_token\"}"))
                .isEmpty();
    }

    @Test
    void aMemberNamedDifferentlyFromTheDocumentFails() {
        assertThat(check(200, "application/json", "{\"access_token\":\"a\",\"refreshToken\":\"r\"}"))
                .isNotEmpty()
                .anyMatch(v -> v.contains("refreshToken"))
                .anyMatch(v -> v.contains("refresh_token"));
    }

    @Test
    void aProblemServedAsPlainJsonFails() {
        assertThat(check(401, "application/json", "{\"code\":\"invalid_refresh_token\"}"))
                .isNotEmpty();
    }

    @Test
    void anUnknownRouteMayOnlyRefuseWithAProblem() {
        Map<String, List<String>> problem = Map.of("Content-Type", List.of("application/problem+json"));
        Map<String, List<String>> html = Map.of("Content-Type", List.of("text/html"));
        assertThat(ApiContract.violations(validator, "GET", "/api/v1/nowhere", 404, problem, "{}"))
                .isEmpty();
        assertThat(ApiContract.violations(validator, "GET", "/api/v1/nowhere", 404, html, "<p>"))
                .isNotEmpty();
        assertThat(ApiContract.violations(validator, "GET", "/api/v1/nowhere", 200, problem, "{}"))
                .isNotEmpty();
    }
}
