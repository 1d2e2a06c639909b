package dev.gatehouse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped plans.yml reads as the issue lists it, and each kind of mistake in a file is reported with its
 * file, path, line and reason (and every mistake of a file at once, not just the first).
 */
class CatalogParserTest {

    static final String FILE = "/etc/gatehouse/plans.yml";

    static String shipped() {
        try (InputStream in = CatalogParserTest.class.getClassLoader().getResourceAsStream("catalog/plans.yml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static CatalogVersion valid(String text) {
        CatalogParser.Result result = CatalogParser.parse(FILE, text.getBytes(StandardCharsets.UTF_8));
        assertThat(result).as(result.toString()).isInstanceOf(CatalogParser.Result.Valid.class);
        return ((CatalogParser.Result.Valid) result).definition().at(1, java.time.Instant.EPOCH);
    }

    static List<CatalogError> errors(String text) {
        CatalogParser.Result result = CatalogParser.parse(FILE, text.getBytes(StandardCharsets.UTF_8));
        assertThat(result).as("the file is refused").isInstanceOf(CatalogParser.Result.Invalid.class);
        return ((CatalogParser.Result.Invalid) result).errors();
    }

    /** The shipped file with one passage replaced (which must be there). */
    static String shippedWith(String passage, String replacement) {
        String text = shipped();
        assertThat(text).contains(passage);
        return text.replace(passage, replacement);
    }

    static int lineOf(String text, String passage) {
        int at = text.indexOf(passage);
        assertThat(at).as("'%s' is in the file", passage).isNotNegative();
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    @Test
    void theShippedCatalogHasFreeProAndEnterpriseAsTheIssueListsThem() {
        CatalogVersion c = valid(shipped());
        assertThat(c.plans().keySet()).containsExactly("free", "pro", "enterprise");
        assertThat(c.defaultPlan().key()).isEqualTo("free");
        assertThat(c.features().keySet())
                .containsExactly(
                        "api_access", "priority_support", "custom_models", "advanced_analytics", "dedicated_support");

        Plan free = c.plan("free").orElseThrow();
        assertThat(free.price().free()).isTrue();
        assertThat(free.features()).containsExactly("api_access");
        assertThat(free.limit("api_calls")).contains(new Limit("api_calls", 1000L, Period.DAY));
        assertThat(free.limit("jobs")).contains(new Limit("jobs", 100L, Period.MONTH));
        assertThat(free.max(Limit.SEATS)).contains(3L);
        assertThat(free.max(Limit.SESSIONS)).contains(3L);
        assertThat(free.rateLimits().get("api"))
                .isEqualTo(new RateLimitPolicy("api", RateLimitScope.ORG, 60, Duration.ofMinutes(1), 20));

        Plan pro = c.plan("pro").orElseThrow();
        assertThat(pro.price()).isEqualTo(new Price(new BigDecimal("19.99"), "USD", Price.Interval.MONTH));
        assertThat(pro.features())
                .containsExactly("api_access", "priority_support", "custom_models", "advanced_analytics");
        assertThat(pro.trialDays()).isEqualTo(14);
        assertThat(pro.stripePriceId()).isEqualTo("price_pro_monthly");
        assertThat(pro.rateLimits().get("api").limit()).isEqualTo(300);
        assertThat(pro.rateLimits().get("api").burst())
                .as("burst defaults to the limit")
                .isEqualTo(300);

        Plan enterprise = c.plan("enterprise").orElseThrow();
        assertThat(enterprise.price().amount()).isEqualByComparingTo("99.99");
        assertThat(enterprise.features()).contains("dedicated_support").hasSize(5);
        assertThat(enterprise.limit("api_calls").orElseThrow().unlimited()).isTrue();
        assertThat(enterprise.limit("api_calls").orElseThrow().period()).isEqualTo(Period.DAY);
        assertThat(enterprise.rateLimits().get("api").limit()).isEqualTo(1200);
        assertThat(enterprise.aiModels()).contains("gpt-4o");

        assertThat(c.meter("api_calls").orElseThrow().aggregation()).isEqualTo(Aggregation.COUNT);
        assertThat(c.meter("storage_mb").orElseThrow().aggregation()).isEqualTo(Aggregation.LATEST);
        assertThat(c.meter("active_users").orElseThrow().property()).isEqualTo("user_id");
        assertThat(c.rateLimits().get("anonymous"))
                .isEqualTo(new RateLimitPolicy("anonymous", RateLimitScope.IP, 30, Duration.ofMinutes(1), 10));
        assertThat(c.plansWith("custom_models")).extracting(Plan::key).containsExactly("pro", "enterprise");
    }

    @Test
    void malformedYamlNamesTheLineAndColumn() {
        String text = shippedWith("  pro:\n    name: Pro\n", "  pro:\n    name: [Pro\n");
        List<CatalogError> errors = errors(text);
        assertThat(errors).hasSize(1);
        CatalogError e = errors.getFirst();
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.reason()).startsWith("malformed YAML");
        assertThat(e.line()).isGreaterThanOrEqualTo(lineOf(text, "name: [Pro"));
    }

    @Test
    void anUnknownFeatureIsNamedWithItsPath() {
        String text = shippedWith(
                "features: [api_access, priority_support, custom_models, advanced_analytics]\n",
                "features: [api_access, priority_suport, custom_models, advanced_analytics]\n");
        assertThat(errors(text)).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("plans.pro.features[1]");
            assertThat(e.reason()).startsWith("unknown feature 'priority_suport'");
            assertThat(e.line()).isEqualTo(lineOf(text, "priority_suport"));
        });
    }

    @Test
    void aLimitOnAnUnknownMeterIsNamed() {
        String text =
                shippedWith("      jobs: {limit: 5000, period: month}\n", "      jobz: {limit: 5000, period: month}\n");
        assertThat(errors(text)).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("plans.pro.limits.jobz");
            assertThat(e.reason()).startsWith("unknown meter 'jobz'");
            assertThat(e.line()).isEqualTo(lineOf(text, "jobz: {limit: 5000"));
        });
    }

    @Test
    void aNegativeLimitIsNamed() {
        String text = shippedWith("api_calls: {limit: 1000, period: day}", "api_calls: {limit: -5, period: day}");
        assertThat(errors(text)).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("plans.free.limits.api_calls.limit");
            assertThat(e.reason()).isEqualTo("must not be negative (got -5)");
            assertThat(e.line()).isEqualTo(lineOf(text, "limit: -5"));
        });
    }

    @Test
    void aDuplicatePlanNamesBothLines() {
        String text =
                shipped() + "\n  pro:\n    name: Pro again\n    price: {amount: 5, currency: USD, interval: month}\n";
        int second = lineOf(text, "Pro again") - 1;
        assertThat(errors(text)).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("plans.pro");
            assertThat(e.reason())
                    .isEqualTo("duplicate plan 'pro' (first defined at line " + lineOf(text, "  pro:") + ")");
            assertThat(e.line()).isEqualTo(second);
        });
    }

    @Test
    void everyErrorOfAFileIsReportedAtOnce() {
        String text = shippedWith("api_calls: {limit: 1000, period: day}", "api_calls: {limit: -1, period: weekly}")
                .replace(
                        "trial_days: 14\n    features: [api_access, priority_support, custom",
                        "trial_dayz: 14\n    features: [api_access, priority_support, custom");
        assertThat(errors(text))
                .extracting(CatalogError::path)
                .containsExactlyInAnyOrder(
                        "plans.free.limits.api_calls.limit",
                        "plans.free.limits.api_calls.period",
                        "plans.pro.trial_dayz",
                        "plans.enterprise.trial_dayz");
    }

    @Test
    void otherMistakesAreRefusedWithTheirReason() {
        record Case(String passage, String replacement, String path, String reason) {}
        List<Case> cases = List.of(
                new Case("schema_version: 1", "schema_version: 2", "schema_version", "unknown schema version 2"),
                new Case("default_plan: free", "default_plan: pro", "default_plan", "the default plan must be free"),
                new Case("default_plan: free", "default_plan: gold", "default_plan", "unknown plan 'gold'"),
                new Case(
                        "upgrade_url: https://example.com/pricing",
                        "upgrade_url: /pricing",
                        "upgrade_url",
                        "expected an absolute"),
                new Case(
                        "    aggregation: unique_count\n    property: user_id\n",
                        "    aggregation: unique_count\n",
                        "meters.active_users.property",
                        "a unique_count meter must name"),
                new Case(
                        "aggregation: count\n  jobs:",
                        "aggregation: average\n  jobs:",
                        "meters.api_calls.aggregation",
                        "unknown aggregation 'average'"),
                new Case(
                        "seats: {limit: 3, period: none}",
                        "seats: {limit: 3, period: month}",
                        "plans.free.limits.seats.period",
                        "seats is a standing count"),
                new Case(
                        "{scope: org, limit: 300, per: minute}",
                        "{scope: tenant, limit: 300, per: minute}",
                        "plans.pro.rate_limits.api.scope",
                        "unknown scope 'tenant'"),
                new Case(
                        "{scope: org, limit: 300, per: minute}",
                        "{scope: org, limit: 0, per: minute}",
                        "plans.pro.rate_limits.api.limit",
                        "must be at least 1"),
                new Case(
                        "price: {amount: 19.99, currency: USD, interval: month}",
                        "price: {amount: 19.99, currency: USD}",
                        "plans.pro.price.interval",
                        "a paid plan says how often"),
                new Case(
                        "price: {amount: 19.99, currency: USD, interval: month}",
                        "price: {amount: -19.99, currency: USD, interval: month}",
                        "plans.pro.price.amount",
                        "a price must not be negative"),
                new Case(
                        "stripe_price_id: price_pro_monthly",
                        "stripe_price_id: pro",
                        "plans.pro.stripe_price_id",
                        "a Stripe price id"),
                new Case(
                        "trial_days: 14\n    features: [api_access, priority_support, custom",
                        "trial_days: 1.5\n    features: [api_access, priority_support, custom",
                        "plans.pro.trial_days",
                        "expected a whole number"),
                new Case("  pro:\n", "  Pro:\n", "plans.Pro", "a plan name is a lowercase letter"),
                new Case(
                        "    ai_models: [gpt-4o-mini, gpt-4o]\n",
                        "    ai_models: [gpt-4o-mini, gpt-4o-mini]\n",
                        "plans.pro.ai_models[1]",
                        "model 'gpt-4o-mini' is listed twice"));
        for (Case c : cases) {
            assertThat(errors(shippedWith(c.passage(), c.replacement())))
                    .as(c.replacement())
                    .anySatisfy(e -> {
                        assertThat(e.path()).isEqualTo(c.path());
                        assertThat(e.reason()).startsWith(c.reason());
                        assertThat(e.line()).isPositive();
                    });
        }
    }

    @Test
    void theDocumentItselfMustBeACatalog() {
        assertThat(errors("")).singleElement().extracting(CatalogError::reason).isEqualTo("the file is empty");
        assertThat(errors("- a\n- b\n"))
                .singleElement()
                .extracting(CatalogError::reason)
                .asString()
                .startsWith("expected a mapping");
        assertThat(errors("schema_version: 1\n"))
                .extracting(CatalogError::path)
                .containsExactlyInAnyOrder("default_plan", "features", "meters", "plans", "upgrade_url");
        byte[] notUtf8 = {'a', ':', ' ', (byte) 0xC3, (byte) 0x28};
        assertThat(((CatalogParser.Result.Invalid) CatalogParser.parse(FILE, notUtf8)).errors())
                .singleElement()
                .extracting(CatalogError::reason)
                .isEqualTo("the file is not UTF-8 text");
        assertThat(errors(
                        "a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                                + "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                                + "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"))
                .as("an alias bomb is refused, not expanded")
                .isNotEmpty();
    }

    @Test
    void theHashIsTheFilesSha256() {
        String text = shipped();
        CatalogVersion c = valid(text);
        assertThat(c.hash()).hasSize(64).isEqualTo(CatalogParser.sha256(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(valid(text + "\n# a comment\n").hash()).isNotEqualTo(c.hash());
    }

    @Test
    void periodsAreCalendarWindowsInUtc() {
        java.time.Instant at = java.time.Instant.parse("2026-02-14T13:45:10Z");
        assertThat(Period.DAY.windowAt(at))
                .contains(new Period.Window(
                        java.time.Instant.parse("2026-02-14T00:00:00Z"),
                        java.time.Instant.parse("2026-02-15T00:00:00Z")));
        assertThat(Period.MONTH.windowAt(at))
                .contains(new Period.Window(
                        java.time.Instant.parse("2026-02-01T00:00:00Z"),
                        java.time.Instant.parse("2026-03-01T00:00:00Z")));
        assertThat(Period.HOUR.windowAt(at).orElseThrow().end())
                .isEqualTo(java.time.Instant.parse("2026-02-14T14:00:00Z"));
        assertThat(Period.NONE.windowAt(at)).isEmpty();
    }
}
