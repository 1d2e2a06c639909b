package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Walks the platform permission matrix over HTTP: every endpoint the app serves, with a real token of
 * every platform role. A role without the endpoint's permission gets 403, anonymous callers 401 on every
 * non-public endpoint, and roles with it are never refused for lack of it. The endpoints come from the
 * running app's own mappings, so a new route is walked the day it is added. It also keeps the table in
 * docs/permissions.md equal to {@link Permission} and the endpoints that declare each row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionMatrixTest extends EndToEndTest {

    static final List<PlatformRole> ROLES = List.of(PlatformRole.values());
    static final Path DOCS = Path.of("../docs/permissions.md");
    static final String START = "<!-- platform-permissions:start -->";
    static final String END = "<!-- platform-permissions:end -->";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final Map<PlatformRole, String> tokens = new LinkedHashMap<>();

    record Endpoint(String method, String pattern, Permission permission) {
        String path() {
            // Any value of the right shape: the permission is checked before the handler reads it.
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(pattern);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = switch (m.group(1)) {
                    case "subject" -> "ip:192.0.2.1";
                    case "token" -> "ghi_" + "a".repeat(43);
                    case "name" -> "sample";
                    default -> UUID.randomUUID().toString();
                };
                m.appendReplacement(out, value);
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    @BeforeAll
    void tokens() {
        client();
        TestAccounts accounts = new TestAccounts(http, SMTP);
        TestAccounts.Account superadmin = accounts.admin();
        tokens.put(PlatformRole.SUPERADMIN, superadmin.accessToken());
        for (PlatformRole role : List.of(PlatformRole.USER, PlatformRole.SUPPORT, PlatformRole.ADMIN)) {
            TestAccounts.Account a = accounts.create("matrix-" + role.wire());
            if (role != PlatformRole.USER) {
                String id = http.get("/api/v1/me")
                        .bearer(a.accessToken())
                        .send()
                        .json()
                        .get("id")
                        .asString();
                Http.Response r = http.put("/api/v1/admin/users/" + id + "/roles")
                        .bearer(superadmin.accessToken())
                        .json("roles", List.of(PlatformRole.USER.wire(), role.wire()))
                        .send();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                a = accounts.login(a.email(), TestAccounts.PASSWORD);
            }
            tokens.put(role, a.accessToken());
        }
        Http.Response serviceKey = http.post("/api/v1/admin/service-keys")
                .bearer(superadmin.accessToken())
                .json("name", "matrix")
                .send();
        assertThat(serviceKey.status()).as(serviceKey.toString()).isEqualTo(201);
        tokens.put(PlatformRole.SERVICE, serviceKey.json().get("key").asString());
        // An organization's API key, sent as a bearer, in the superadmin's personal organization.
        String org = http.get("/api/v1/orgs")
                .bearer(superadmin.accessToken())
                .send()
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();
        Http.Response orgKey = http.post("/api/v1/orgs/" + org + "/api-keys")
                .bearer(superadmin.accessToken())
                .json("name", "matrix", "scopes", List.of("usage:write"))
                .send();
        assertThat(orgKey.status()).as(orgKey.toString()).isEqualTo(201);
        tokens.put(PlatformRole.ORG_KEY, orgKey.json().get("key").asString());
    }

    List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e :
                mappings.getHandlerMethods().entrySet()) {
            if (!PermissionInterceptor.ours(e.getValue())) continue;
            Permission permission = PermissionInterceptor.permissionOf(e.getValue());
            assertThat(permission).as("%s declares a permission", e.getKey()).isNotNull();
            var methods = e.getKey().getMethodsCondition().getMethods();
            for (String pattern : e.getKey().getPatternValues()) {
                if (pattern.startsWith("/api/v1/test-support")) continue;
                if (methods.isEmpty()) {
                    all.add(new Endpoint("GET", pattern, permission));
                } else {
                    for (RequestMethod m : methods) all.add(new Endpoint(m.name(), pattern, permission));
                }
            }
        }
        return all;
    }

    private Http.Response send(Endpoint endpoint, String token) {
        Http.Request request = switch (endpoint.method()) {
            case "GET" -> http.get(endpoint.path());
            case "POST" -> http.post(endpoint.path()).json();
            case "PUT" -> http.put(endpoint.path()).json();
            case "PATCH" -> http.patch(endpoint.path()).json();
            case "DELETE" -> http.delete(endpoint.path());
            default -> throw new IllegalArgumentException(endpoint.method());
        };
        return token == null ? request.send() : request.bearer(token).send();
    }

    @Test
    void everyRoleWithoutThePermissionGets403AndAnonymous401() {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).hasSizeGreaterThan(40);
        int refusals = 0;
        for (Endpoint endpoint : endpoints) {
            if (endpoint.permission() == Permission.PUBLIC) continue;
            Http.Response anonymous = send(endpoint, null);
            assertThat(anonymous.status()).as("%s anonymous", endpoint).isEqualTo(401);
            for (PlatformRole role : ROLES) {
                Http.Response r = send(endpoint, tokens.get(role));
                if (endpoint.permission().roles().contains(role)) {
                    assertThat(r.body()).as("%s as %s", endpoint, role).doesNotContain("This needs the permission");
                    assertThat(r.status()).as("%s as %s", endpoint, role).isNotEqualTo(401);
                } else {
                    assertThat(r.status())
                            .as("%s as %s: %s", endpoint, role, r.body())
                            .isEqualTo(403);
                    assertThat(r.code()).isEqualTo("forbidden");
                    refusals++;
                }
            }
        }
        assertThat(refusals).isGreaterThan(25);
    }

    @Test
    void publicEndpointsAreTheSignInAndDiscoveryOnes() {
        for (Endpoint endpoint : endpoints()) {
            if (endpoint.permission() != Permission.PUBLIC) continue;
            assertThat(endpoint.pattern())
                    .as(endpoint.toString())
                    .matches(
                            "/api/v1/auth/.*|/\\.well-known/.*|/error|/|/verify-email|/reset-password|/forgot-password|/resend-verification|/api/v1/plans|/api/v1/credits/unit"
                                    // Stripe's webhook: no caller, the Stripe-Signature is its authentication.
                                    + "|/api/v1/billing/stripe/webhook");
        }
    }

    @Test
    void docsShowTheMatrix() throws IOException {
        String expected = markdown();
        String docs = Files.readString(DOCS);
        if (Boolean.getBoolean("gatehouse.write-docs")) {
            int from = docs.indexOf(START), to = docs.indexOf(END);
            Files.writeString(DOCS, docs.substring(0, from) + expected + docs.substring(to + END.length()));
            docs = Files.readString(DOCS);
        }
        assertThat(docs)
                .as(
                        "docs/permissions.md must contain (rerun with -Dgatehouse.write-docs=true to write it):%n%s",
                        expected)
                .contains(expected);
    }

    String markdown() {
        Map<Permission, TreeSet<String>> byPermission = new TreeMap<>();
        for (Endpoint e : endpoints()) {
            byPermission
                    .computeIfAbsent(e.permission(), p -> new TreeSet<>())
                    .add("`" + e.method() + " " + e.pattern() + "`");
        }
        StringBuilder out = new StringBuilder(START).append('\n');
        out.append("| permission | allows |");
        for (PlatformRole role : ROLES) out.append(' ').append(role.wire()).append(" |");
        out.append(" endpoints |\n| --- | --- |");
        for (int i = 0; i < ROLES.size(); i++) out.append(" :-: |");
        out.append(" --- |\n");
        for (Permission p : Permission.values()) {
            out.append("| `")
                    .append(p.key())
                    .append("` | ")
                    .append(p.description())
                    .append(" |");
            for (PlatformRole role : ROLES)
                out.append(p == Permission.PUBLIC || p.roles().contains(role) ? " ✓ |" : " |");
            out.append(' ')
                    .append(String.join(", ", byPermission.getOrDefault(p, new TreeSet<>())))
                    .append(" |\n");
        }
        return out.append(END).toString();
    }
}
