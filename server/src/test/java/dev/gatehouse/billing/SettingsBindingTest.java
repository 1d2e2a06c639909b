package dev.gatehouse.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Billing's settings bind from configuration with their defaults: billing off without a key, UZ taxed 12 %. */
class SettingsBindingTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({StripeSettings.class, BillingSettings.class})
    static class Config {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void defaultsLeaveBillingOffAndTaxUzbekistanAtTwelvePercent() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            StripeSettings stripe = context.getBean(StripeSettings.class);
            assertThat(stripe.enabled()).isFalse();
            assertThat(stripe.webhookSecret()).isEmpty();
            assertThat(stripe.apiBase()).isEqualTo("https://api.stripe.com");
            BillingSettings billing = context.getBean(BillingSettings.class);
            assertThat(billing.taxRate("uz")).isEqualByComparingTo(new BigDecimal("12"));
            assertThat(billing.dunning().grace()).hasDays(7);
            assertThat(billing.prorationBehavior()).isEqualTo("create_prorations");
        });
    }

    @Test
    void rotatingSecretsAreCommaSeparatedAndATableOfRatesIsReadFromConfiguration() {
        runner.withPropertyValues(
                        "gatehouse.stripe.secret-key=sk_test_x",
                        "gatehouse.stripe.webhook-secret=whsec_old, whsec_new",
                        "gatehouse.billing.tax-rates.DE=19",
                        "gatehouse.billing.tax-rates.UZ=12")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    StripeSettings stripe = context.getBean(StripeSettings.class);
                    assertThat(stripe.enabled()).isTrue();
                    assertThat(stripe.webhookSecret()).containsExactly("whsec_old", "whsec_new");
                    assertThat(context.getBean(BillingSettings.class).taxRate("DE"))
                            .isEqualByComparingTo("19");
                });
    }

    @Test
    void anUnknownProrationBehaviorStopsTheStart() {
        runner.withPropertyValues("gatehouse.billing.proration-behavior=sometimes")
                .run(context -> assertThat(context).hasFailed());
    }
}
