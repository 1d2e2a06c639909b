package dev.gatehouse.credits;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The problems of disputes, reconciliation and the monthly close, each a fact with a stable code. */
final class CreditOpsFailures {

    private CreditOpsFailures() {}

    static ApiException disputeNotFound() {
        return Problems.notFound("Dispute");
    }

    /** The transaction (or entry) is not one of the organization's, or does not exist. */
    static ApiException transactionNotFound() {
        return Problems.notFound("Transaction");
    }

    static ApiException notDisputable(String kind) {
        return Problems.invalid(
                "not_disputable",
                "A " + kind + " transaction took no credits from the organization (or all of it was refunded);"
                        + " only charges can be disputed.");
    }

    static ApiException alreadyDisputed(String dispute) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "dispute_already_open",
                "Dispute already open",
                "The transaction is already in an open dispute; wait for its resolution.",
                Map.of("dispute_id", dispute));
    }

    static ApiException alreadyResolved(String state) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "dispute_already_resolved",
                "Dispute already resolved",
                "The dispute was already " + state + " with another decision; a resolution is final.",
                Map.of("state", state));
    }

    static ApiException periodNotEnded(String period) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "period_not_ended",
                "Period not ended",
                "Only a month that has ended can be closed; " + period + " has not.",
                Map.of("period", period));
    }

    static ApiException periodNotClosed(String period) {
        return Problems.of(
                HttpStatus.NOT_FOUND,
                "period_not_closed",
                "Period not closed",
                "The ledger period " + period + " is not closed.",
                Map.of("period", period));
    }

    static ApiException invalidPeriod() {
        return Problems.badRequest("invalid_period", "A period is a month written yyyy-mm, such as 2026-11.");
    }

    static ApiException reconciliationNotFound() {
        return Problems.notFound("Reconciliation");
    }

    /** A provider usage file with errors: nothing of it was imported. */
    static ApiException invalidUsageFile(List<Map<String, Object>> errors) {
        // errors[] keeps the platform's shape (field, message); line_errors has each error's line number.
        List<Map<String, Object>> fields = errors.stream()
                .map(e -> Map.<String, Object>of(
                        "field",
                        e.getOrDefault("field", ""),
                        "message",
                        "line " + e.get("line") + ": " + e.get("message")))
                .toList();
        return Problems.of(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "invalid_usage_file",
                "Invalid usage file",
                "The usage file has " + errors.size() + (errors.size() == 1 ? " error" : " errors")
                        + " (the first ones are listed with their line numbers); nothing was imported.",
                Map.of("errors", fields, "line_errors", errors));
    }

    static ApiException reportNotReady(String state) {
        return Problems.of(
                HttpStatus.CONFLICT,
                "reconciliation_not_completed",
                "Reconciliation not completed",
                "The reconciliation is " + state + "; its report exists once it has completed.",
                Map.of("state", state));
    }
}
