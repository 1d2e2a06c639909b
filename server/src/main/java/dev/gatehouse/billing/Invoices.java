package dev.gatehouse.billing;

import static dev.gatehouse.platform.Timestamps.instant;
import static dev.gatehouse.platform.Timestamps.nullableInstant;
import static dev.gatehouse.platform.Timestamps.utc;

import com.stripe.model.Invoice;
import dev.gatehouse.platform.Keyset;
import dev.gatehouse.platform.Page;
import dev.gatehouse.platform.PageCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code billing_invoices} table: Stripe's invoices of each organization, mirrored from fresh fetches. */
@Repository
class Invoices {

    /** One mirrored invoice; amounts in the currency's minor unit. */
    record MirroredInvoice(
            String id,
            UUID rowId,
            UUID orgId,
            @Nullable String number,
            String status,
            String currency,
            long amountDue,
            long amountPaid,
            long total,
            @Nullable String hostedInvoiceUrl,
            @Nullable String invoicePdf,
            @Nullable Instant periodStart,
            @Nullable Instant periodEnd,
            Instant created) {}

    private static final Keyset<MirroredInvoice> NEWEST_FIRST =
            Keyset.newestFirst("created", "row_id", Invoices::map, i -> new PageCursor(i.created(), i.rowId()));

    private final JdbcClient db;

    Invoices(JdbcClient db) {
        this.db = db;
    }

    /** Writes the invoice as Stripe has it now (a fresh fetch is never older than what is stored). */
    void upsert(UUID orgId, Invoice i, Instant now) {
        db.sql("""
                        insert into billing_invoices (id, org_id, number, status, currency, amount_due, amount_paid,
                            total, hosted_invoice_url, invoice_pdf, period_start, period_end, created, updated_at)
                        values (:id, :org, :number, :status, :currency, :due, :paid, :total, :hosted, :pdf, :ps, :pe,
                            :created, :now)
                        on conflict (id) do update set number = excluded.number, status = excluded.status,
                            amount_due = excluded.amount_due, amount_paid = excluded.amount_paid,
                            total = excluded.total, hosted_invoice_url = excluded.hosted_invoice_url,
                            invoice_pdf = excluded.invoice_pdf, updated_at = excluded.updated_at
                        """)
                .param("id", i.getId())
                .param("org", orgId)
                .param("number", i.getNumber())
                .param("status", Objects.requireNonNullElse(i.getStatus(), "open"))
                .param("currency", Objects.requireNonNullElse(i.getCurrency(), "usd"))
                .param("due", nz(i.getAmountDue()))
                .param("paid", nz(i.getAmountPaid()))
                .param("total", nz(i.getTotal()))
                .param("hosted", i.getHostedInvoiceUrl())
                .param("pdf", i.getInvoicePdf())
                .param("ps", utc(epoch(i.getPeriodStart())))
                .param("pe", utc(epoch(i.getPeriodEnd())))
                .param("created", utc(Objects.requireNonNullElse(epoch(i.getCreated()), now)))
                .param("now", utc(now))
                .update();
    }

    Page<MirroredInvoice> page(UUID orgId, @Nullable PageCursor after, int limit) {
        return NEWEST_FIRST.fetch(
                after,
                limit,
                keyset -> db.sql("select * from billing_invoices where org_id = :org" + keyset)
                        .param("org", orgId));
    }

    private static long nz(@Nullable Long v) {
        return v == null ? 0 : v;
    }

    static @Nullable Instant epoch(@Nullable Long seconds) {
        return seconds == null ? null : Instant.ofEpochSecond(seconds);
    }

    private static MirroredInvoice map(ResultSet rs, int n) throws SQLException {
        return new MirroredInvoice(
                rs.getString("id"),
                rs.getObject("row_id", UUID.class),
                rs.getObject("org_id", UUID.class),
                rs.getString("number"),
                rs.getString("status"),
                rs.getString("currency"),
                rs.getLong("amount_due"),
                rs.getLong("amount_paid"),
                rs.getLong("total"),
                rs.getString("hosted_invoice_url"),
                rs.getString("invoice_pdf"),
                nullableInstant(rs, "period_start"),
                nullableInstant(rs, "period_end"),
                instant(rs, "created"));
    }
}
