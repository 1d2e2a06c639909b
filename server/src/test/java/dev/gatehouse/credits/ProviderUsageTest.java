package dev.gatehouse.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Parsing providers' usage files: CSV and JSON, keys mapped to organizations, every error with its line. */
class ProviderUsageTest {

    static final UUID ORG = UUID.fromString("0191e0a4-0000-7000-8000-000000000001");
    static final Map<String, UUID> KEYS = Map.of("sk-team", ORG);

    static List<ProviderUsage.Row> parse(String body, String format) {
        return ProviderUsage.parse(body, format, KEYS::get, 1000);
    }

    static List<Integer> errorLines(String body, String format) {
        ProviderUsage.Invalid e = catchThrowableOfType(ProviderUsage.Invalid.class, () -> parse(body, format));
        assertThat(e).isNotNull();
        return e.errors.stream().map(m -> (Integer) m.get("line")).toList();
    }

    @Test
    void csvWithQuotesKeysSplitTokensAndTimestamps() {
        List<ProviderUsage.Row> rows = parse(
                "Date,Model,Key,Input_Tokens,Output_Tokens,Cost,Note\r\n"
                        + "2026-11-02,gpt-4o,sk-team,10,5,0.000015,\"a, b \"\"c\"\"\"\r\n"
                        + "2026-11-02T23:30:00-02:00,\"gpt-4o\",sk-team,1,1,1E-3,\r\n",
                "csv");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .isEqualTo(new ProviderUsage.Row(
                        2, LocalDate.of(2026, 11, 2), "gpt-4o", ORG, 15, new BigDecimal("0.000015")));
        // 23:30 at -02:00 is the next day in UTC.
        assertThat(rows.get(1).day()).isEqualTo(LocalDate.of(2026, 11, 3));
        assertThat(rows.get(1).cost()).isEqualByComparingTo("0.001");
    }

    @Test
    void csvErrorsCarryTheirLineNumbers() {
        assertThat(errorLines("date,model,org,tokens\n", "csv")).containsExactly(1);
        assertThat(errorLines(
                        "date,model,org,tokens,cost\n2026-11-01,m," + ORG + ",1,1\n2026-13-01,m," + ORG
                                + ",1,1\n2026-11-01,m,x,1\n2026-11-01,m," + ORG + ",1.5,-1\n",
                        "csv"))
                .containsExactly(3, 4, 5, 5);
        assertThat(errorLines("date,model,org,tokens,cost\n\"2026-11-01,m\n", "csv"))
                .containsExactly(2);
        assertThat(errorLines("date,model,org,tokens,cost\n", "csv")).containsExactly(1);
    }

    @Test
    void jsonArraysAndWrappedRowsWithLineNumbers() {
        String row =
                "{\"date\": \"2026-11-01\", \"model\": \"o1\", \"org\": \"" + ORG + "\", \"tokens\": 7, \"cost\": 0.1}";
        assertThat(parse("[" + row + "]", "json")).hasSize(1);
        List<ProviderUsage.Row> wrapped =
                parse("{\"object\": \"list\", \"usage\": [\n" + row + ",\n" + row + "]}", "json");
        assertThat(wrapped).extracting(ProviderUsage.Row::line).containsExactly(2, 3);
        assertThat(wrapped.getFirst().cost()).isEqualByComparingTo("0.1");
        assertThat(errorLines(
                        "[\n" + row + ",\n{\"date\": \"2026-11-01\", \"model\": \"o1\", \"key\": \"nope\","
                                + " \"tokens\": 7, \"cost\": 0.1},\n 3\n]",
                        "json"))
                .containsExactly(3, 4);
        assertThat(errorLines("[\n" + row + ",\n{\"date\": ", "json")).containsExactly(3);
        assertThat(errorLines("{\"rows\": 3}", "json")).containsExactly(1);
    }
}
