package dev.gatehouse.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Deprecated v1 routes announce it: RFC 9745 {@code Deprecation}, RFC 8594 {@code Sunset}, a changelog link. */
class DeprecationTest extends EndToEndTest {

    @Autowired
    private HttpSettings settings;

    private final String user = TestCallers.user();

    @Test
    void deprecatedRouteCarriesDeprecationSunsetAndLink() {
        Http.Response response =
                http.get("/api/v1/test-support/old-widgets").bearer(user).send();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Deprecation"))
                .isEqualTo("@" + Instant.parse("2026-01-15T00:00:00Z").getEpochSecond());
        assertThat(response.header("Sunset")).isEqualTo("Wed, 30 Jun 2027 00:00:00 GMT");
        assertThat(response.header("Link")).isEqualTo("<" + settings.base() + "/CHANGELOG.md>; rel=\"deprecation\"");
        // The default link target is served by the app itself.
        Http.Response changelog = http.get("/CHANGELOG.md").send();
        assertThat(changelog.status()).isEqualTo(200);
        assertThat(changelog.body()).contains("# Changelog");
    }

    @Test
    void deprecationWithoutDateAndWithOwnLink() {
        Http.Response response =
                http.get("/api/v1/test-support/older-widgets").bearer(user).send();
        assertThat(response.header("Deprecation")).isEqualTo("true");
        // IMF-fixdate keeps two-digit days.
        assertThat(response.header("Sunset")).isEqualTo("Sat, 05 Jun 2027 00:00:00 GMT");
        assertThat(response.header("Link")).isEqualTo("<https://docs.example.com/migrate>; rel=\"deprecation\"");
    }

    @Test
    void otherRoutesCarryNoDeprecationHeaders() {
        Http.Response response =
                http.get("/api/v1/test-support/widgets/x").bearer(user).send();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Deprecation")).isNull();
        assertThat(response.header("Sunset")).isNull();
        assertThat(response.header("Link")).isNull();
    }

    @Test
    void headersAreExposedToBrowsers() {
        Http.Response response = http.get("/api/v1/test-support/old-widgets")
                .bearer(user)
                .header("Origin", "https://app.example.com")
                .send();
        assertThat(response.header("Access-Control-Expose-Headers"))
                .contains("Deprecation")
                .contains("Sunset")
                .contains("Link");
    }
}
