package dev.gatehouse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.support.EndToEndTest;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.TestAccounts;
import dev.gatehouse.support.TestCatalog;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The catalog over HTTP: the public plan list, and reloads of the file the app reads. Each malformed file is
 * refused with its precise error while the catalog in use keeps serving; a good file becomes a new version on
 * the spot, stored with its hash and diffable against the one before.
 */
class CatalogEndToEndTest extends EndToEndTest {

    static final String RELOAD = "/api/v1/admin/catalog/reload";
    static final String VERSIONS = "/api/v1/admin/catalog/versions";

    TestAccounts accounts;
    String admin;

    @BeforeEach
    void admin() {
        accounts = new TestAccounts(http, SMTP);
        admin = accounts.admin().accessToken();
    }

    @AfterEach
    void shippedCatalogAgain() {
        TestCatalog.restore();
        Http.Response r = http.post(RELOAD).bearer(admin).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    JsonNode plans() {
        Http.Response r = http.get("/api/v1/plans").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    static JsonNode plan(JsonNode list, String key) {
        return list.get("plans")
                .valueStream()
                .filter(p -> p.get("key").asString().equals(key))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void anyoneListsThePlansWithPricesFeaturesAndLimits() {
        JsonNode list = plans();
        assertThat(list.get("plans").valueStream().map(p -> p.get("key").asString()))
                .containsExactly("free", "pro", "enterprise");
        assertThat(list.get("default_plan").asString()).isEqualTo("free");
        JsonNode pro = plan(list, "pro");
        assertThat(pro.get("price").get("amount").asString()).isEqualTo("19.99");
        assertThat(pro.get("price").get("interval").asString()).isEqualTo("month");
        assertThat(pro.get("trial_days").asInt()).isEqualTo(14);
        assertThat(pro.get("limits").get("api_calls").get("max").asLong()).isEqualTo(50_000);
        assertThat(pro.get("limits").get("api_calls").get("period").asString()).isEqualTo("day");
        assertThat(pro.has("stripe_price_id")).as("Stripe ids are not public").isFalse();
        JsonNode enterprise = plan(list, "enterprise");
        assertThat(enterprise.get("price").get("amount").asString()).isEqualTo("99.99");
        assertThat(enterprise.get("limits").get("seats").get("unlimited").asBoolean())
                .isTrue();
        assertThat(enterprise.get("limits").get("seats").has("max")).isFalse();
        assertThat(plan(list, "free").get("price").get("amount").asString()).isEqualTo("0");
    }

    @Test
    void eachMalformedFileIsRefusedWithItsPreciseErrorAndTheOldCatalogKeepsServing() {
        int before = plans().get("version").asInt();
        String shipped = TestCatalog.shipped();
        record Case(String what, String file, String path, String reason) {}
        List<Case> cases = List.of(
                new Case(
                        "malformed YAML",
                        shipped.replace("  pro:\n    name: Pro\n", "  pro:\n    name: [Pro\n"),
                        "",
                        "malformed YAML"),
                new Case(
                        "unknown feature",
                        shipped.replace("features: [api_access]\n", "features: [api_access, teleport]\n"),
                        "plans.free.features[1]",
                        "unknown feature 'teleport'"),
                new Case(
                        "unknown meter",
                        shipped.replace(
                                "      jobs: {limit: 100, period: month}", "      builds: {limit: 100, period: month}"),
                        "plans.free.limits.builds",
                        "unknown meter 'builds'"),
                new Case(
                        "negative limit",
                        shipped.replace("jobs: {limit: 5000, period: month}", "jobs: {limit: -5000, period: month}"),
                        "plans.pro.limits.jobs.limit",
                        "must not be negative"),
                new Case(
                        "duplicate plan",
                        shipped + "  free:\n    name: Free again\n    price: {amount: 0, currency: USD}\n",
                        "plans.free",
                        "duplicate plan 'free'"));
        for (Case c : cases) {
            TestCatalog.write(c.file());
            Http.Response r = http.post(RELOAD).bearer(admin).send();
            assertThat(r.status()).as(c.what() + ": " + r).isEqualTo(422);
            assertThat(r.code()).isEqualTo("catalog_invalid");
            assertThat(r.json().get("active_version").asInt()).isEqualTo(before);
            JsonNode error = r.json().get("catalog_errors").get(0);
            assertThat(error.get("file").asString()).as(c.what()).isEqualTo("target/test-catalog/plans.yml");
            assertThat(error.get("path").asString()).as(c.what()).isEqualTo(c.path());
            assertThat(error.get("reason").asString()).as(c.what()).startsWith(c.reason());
            assertThat(error.get("line").asInt()).as(c.what()).isPositive();
            assertThat(r.json().get("detail").asString()).contains("version " + before + " stays in use");

            JsonNode still = plans();
            assertThat(still.get("version").asInt()).as(c.what()).isEqualTo(before);
            assertThat(plan(still, "pro").get("price").get("amount").asString()).isEqualTo("19.99");
        }
        Http.Response audit = http.get("/api/v1/admin/audit-events?action=catalog.reload_refused&limit=10")
                .bearer(admin)
                .send();
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        assertThat(audit.json().get("data").size()).isGreaterThanOrEqualTo(cases.size());
    }

    @Test
    void aMissingFileIsRefusedToo() throws Exception {
        java.nio.file.Files.delete(TestCatalog.FILE);
        Http.Response r = http.post(RELOAD).bearer(admin).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.json().get("catalog_errors").get(0).get("reason").asString())
                .isEqualTo("no such file");
        assertThat(plans().get("plans").size()).isEqualTo(3);
    }

    @Test
    void aGoodFileBecomesANewVersionServedAtOnceStoredWithItsHashAndDiffable() {
        Http.Response same = http.post(RELOAD).bearer(admin).send();
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertThat(same.json().get("changed").asBoolean())
                .as("the same file is no new version")
                .isFalse();
        int before = same.json().get("version").asInt();

        TestCatalog.write(TestCatalog.shipped().replace("amount: 19.99", "amount: 24.99"));
        Http.Response reloaded = http.post(RELOAD).bearer(admin).send();
        assertThat(reloaded.status()).as(reloaded.toString()).isEqualTo(200);
        assertThat(reloaded.json().get("changed").asBoolean()).isTrue();
        assertThat(reloaded.json().get("version").asInt()).isEqualTo(before + 1);
        assertThat(reloaded.json().get("previous_version").asInt()).isEqualTo(before);
        assertThat(reloaded.json().get("hash").asString()).hasSize(64);
        assertThat(plan(plans(), "pro").get("price").get("amount").asString()).isEqualTo("24.99");

        Http.Response list = http.get(VERSIONS).bearer(admin).send();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        JsonNode newest = list.json().get("data").get(0);
        assertThat(newest.get("version").asInt()).isEqualTo(before + 1);
        assertThat(newest.get("active").asBoolean()).isTrue();
        assertThat(newest.get("cause").asString()).isEqualTo("reload");
        assertThat(newest.get("hash").asString())
                .isEqualTo(reloaded.json().get("hash").asString());

        Http.Response one =
                http.get(VERSIONS + "/" + (before + 1)).bearer(admin).send();
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(one.json().get("source").asString()).contains("amount: 24.99");

        Http.Response diff =
                http.get(VERSIONS + "/" + (before + 1) + "/diff").bearer(admin).send();
        assertThat(diff.status()).as(diff.toString()).isEqualTo(200);
        assertThat(diff.json().get("from").asInt()).isEqualTo(before);
        assertThat(diff.json().get("diff").asString())
                .contains("-    price: {amount: 19.99, currency: USD, interval: month}")
                .contains("+    price: {amount: 24.99, currency: USD, interval: month}");

        Http.Response audit = http.get(
                        "/api/v1/admin/audit-events?action=catalog.reloaded&target_type=catalog_version&target_id="
                                + (before + 1))
                .bearer(admin)
                .send();
        assertThat(audit.json().get("data").size()).as(audit.toString()).isEqualTo(1);
    }

    @Test
    void onlyAdminsReloadOrReadVersions() {
        String user = accounts.create("catalog-user").accessToken();
        for (Http.Request r : List.of(
                http.post(RELOAD), http.get(VERSIONS), http.get(VERSIONS + "/1"), http.get(VERSIONS + "/1/diff"))) {
            Http.Response answer = r.bearer(user).send();
            assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
        }
        assertThat(http.post(RELOAD).send().status()).isEqualTo(401);
        assertThat(http.get(VERSIONS + "/999999").bearer(admin).send().status()).isEqualTo(404);
        assertThat(http.get(VERSIONS + "/0").bearer(admin).send().status()).isEqualTo(400);
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient db;

    @Test
    void theCauseColumnAcceptsExactlyTheEnumsValues() {
        assertThat(dev.gatehouse.support.CheckConstraints.literals(
                        db, "catalog_versions", "catalog_versions_cause_check"))
                .isEqualTo(java.util.Arrays.stream(CatalogVersions.Cause.values())
                        .map(CatalogVersions.Cause::wire)
                        .collect(java.util.stream.Collectors.toSet()));
    }
}
