package dev.gatehouse.credits;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Reconciliation settings ({@code gatehouse.credits.reconciliation.*}).
 *
 * @param tolerancePercent a group's tokens may differ by this percentage of the larger side (exact decimal)
 * @param toleranceTokens ... or by this many tokens, whichever is more
 * @param maxRows the most rows one imported file may have
 * @param providerKeys the organization of each provider API key, for files that name a key instead of an
 *     organization
 */
@ConfigurationProperties("gatehouse.credits.reconciliation")
record ReconciliationSettings(
        @DefaultValue("1") BigDecimal tolerancePercent,
        @DefaultValue("0") long toleranceTokens,
        @DefaultValue("100000") int maxRows,
        @DefaultValue Map<String, UUID> providerKeys) {

    ReconciliationSettings {
        providerKeys = Map.copyOf(providerKeys);
        if (tolerancePercent.signum() < 0 || tolerancePercent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException(
                    "gatehouse.credits.reconciliation.tolerance-percent must be between 0 and 100");
        }
        if (toleranceTokens < 0 || maxRows < 1) {
            throw new IllegalArgumentException(
                    "gatehouse.credits.reconciliation.tolerance-tokens must be >= 0 and max-rows >= 1");
        }
    }
}
