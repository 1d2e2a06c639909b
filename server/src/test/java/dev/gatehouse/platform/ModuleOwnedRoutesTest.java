package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Modules own their routes: which are public and which ignore {@code Idempotency-Key} is declared on the
 * handlers ({@link RequiresPermission}, {@link IgnoresIdempotencyKey}) and read by the platform through
 * {@link Routes}, which must pick the route Spring MVC will pick.
 */
class ModuleOwnedRoutesTest extends EndToEndTest {

    @Autowired
    private Routes routes;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Autowired
    private JdbcClient db;

    private static MockHttpServletRequest request(String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setRequestURI(path);
        return request;
    }

    /** Every POST route of the app, with a concrete path standing in for its pattern. */
    private List<String> postPaths() {
        List<String> paths = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (!info.getMethodsCondition().getMethods().contains(RequestMethod.POST)) return;
            for (String pattern : info.getPatternValues()) {
                paths.add(pattern.replaceAll("\\{[^}]+}", UUID.randomUUID().toString()));
            }
        });
        return paths;
    }

    @Test
    void idempotencyKeysAreIgnoredExactlyOnTheRoutesThatDeclareIt() {
        var ignored = routes.matching(IdempotencyFilter::ignoresKey);
        List<String> ignoring = postPaths().stream()
                .filter(path -> ignored.matches(request("POST", path)))
                .toList();
        // The credential routes, the read-only verification, evaluation, gate check and entitlement check, and quota
        // consumption, the credit calls and Stripe's webhook (which keep their keys with the effect), as their
        // controllers declare them.
        assertThat(ignoring)
                .isNotEmpty()
                .allMatch(path -> path.matches("/api/v1/auth/.+|/api/v1/me/mfa/.+|/api/v1/me/(step-up|password)"
                        + "|/api/v1/admin/users/[^/]+/impersonate|/api/v1/keys/verify|/api/v1/flags/evaluate"
                        + "|/api/v1/gates/check|/api/v1/entitlements/check|/api/v1/quotas/consume"
                        + "|/api/v1/credits/(estimate|debits|reservations(/[^/]+/(settle|release))?)"
                        + "|/api/v1/billing/stripe/webhook"))
                .contains(
                        "/api/v1/auth/login",
                        "/api/v1/auth/register",
                        "/api/v1/auth/token/refresh",
                        "/api/v1/me/mfa/totp",
                        "/api/v1/me/step-up",
                        "/api/v1/me/password",
                        "/api/v1/keys/verify",
                        "/api/v1/gates/check",
                        "/api/v1/quotas/consume",
                        "/api/v1/entitlements/check",
                        "/api/v1/billing/stripe/webhook");
        assertThat(ignoring).anyMatch(path -> path.endsWith("/impersonate"));
        // Their neighbours under the same prefixes still honour keys.
        assertThat(ignored.matches(request("POST", "/api/v1/admin/users/" + UUID.randomUUID() + "/suspend")))
                .isFalse();
        assertThat(ignored.matches(request("POST", "/api/v1/orgs"))).isFalse();
        assertThat(ignored.matches(request("POST", "/api/v1/test-support/widgets")))
                .isFalse();
    }

    @Test
    void publicRoutesAreTheHandlersThatDeclarePublic() {
        var open = routes.matching(PermissionInterceptor::isPublic);
        assertThat(open.matches(request("POST", "/api/v1/auth/login"))).isTrue();
        assertThat(open.matches(request("GET", "/.well-known/jwks.json"))).isTrue();
        assertThat(open.matches(request("GET", "/api/v1/openapi.json"))).isTrue();
        assertThat(open.matches(request("GET", "/api/v1/me"))).isFalse();
        assertThat(open.matches(request("POST", "/api/v1/keys/verify"))).isFalse();
        // A wrong method on a public route reaches MVC, which answers 405 as it did before.
        assertThat(open.matches(request("GET", "/api/v1/auth/login"))).isTrue();
        assertThat(http.get("/api/v1/auth/login").send().status()).isEqualTo(405);
        // The most specific pattern decides, as in MVC: a protected literal beats a public template.
        assertThat(open.matches(request("GET", "/api/v1/test-support/open/anything")))
                .isTrue();
        assertThat(open.matches(request("GET", "/api/v1/test-support/open/members")))
                .isFalse();
        assertThat(http.get("/api/v1/test-support/open/anything").send().status())
                .isEqualTo(200);
        Http.Response members = http.get("/api/v1/test-support/open/members").send();
        assertThat(members.status()).isEqualTo(401);
        assertThat(members.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void publicRoutesAnswerAnonymousCallers() {
        assertThat(http.get("/.well-known/jwks.json").send().status()).isEqualTo(200);
        assertThat(http.get("/api/v1/openapi.json").send().status()).isEqualTo(200);
        Http.Response login = http.post("/api/v1/auth/login")
                .json("email", "nobody@example.com")
                .send();
        assertThat(login.status()).as(login.toString()).isEqualTo(400);
        assertThat(login.code()).isEqualTo("validation_failed");
    }

    @Test
    void credentialRoutesOfAnotherControllerStoreNothing() {
        TestAccounts.Account a = new TestAccounts(http, SMTP).create("owned-routes");
        String key = "step-up-" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            Http.Response stepUp = http.post("/api/v1/me/step-up")
                    .bearer(a.accessToken())
                    .header("Idempotency-Key", key)
                    .json("password", TestAccounts.PASSWORD)
                    .send();
            assertThat(stepUp.status()).as(stepUp.toString()).isEqualTo(200);
            assertThat(stepUp.header("Idempotent-Replayed")).isNull();
        }
        assertThat(db.sql("select count(*) from idempotency_keys where key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
