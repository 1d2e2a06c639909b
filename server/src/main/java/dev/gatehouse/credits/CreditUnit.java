package dev.gatehouse.credits;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import dev.gatehouse.credits.CreditSettings.ModelRate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The credit unit: 1 PT buys {@code tokens-per-credit} tokens of the reference model; another model's input and
 * output tokens count with its multipliers. A price is rounded up to the next micro-PT, so usage is never charged
 * less than it cost. Text is counted with jtokkit, a Java port of OpenAI's tiktoken tokenizer.
 */
@Component
class CreditUnit {

    private static final EncodingRegistry ENCODINGS = Encodings.newLazyEncodingRegistry();

    private final CreditSettings settings;
    private final Map<String, ModelRate> models;

    CreditUnit(CreditSettings settings) {
        this.settings = settings;
        Map<String, ModelRate> all = new TreeMap<>(settings.models());
        // The reference model costs what the unit says, whatever the table lists.
        all.putIfAbsent(settings.referenceModel(), new ModelRate(BigDecimal.ONE, BigDecimal.ONE, "o200k_base"));
        this.models = all;
    }

    CreditSettings settings() {
        return settings;
    }

    /** The models and their multipliers, by name. */
    Map<String, ModelRate> models() {
        return models;
    }

    ModelRate rate(String model) {
        ModelRate rate = models.get(model);
        if (rate == null) throw CreditFailures.unknownModel(model);
        return rate;
    }

    /** What the tokens cost, in micro-PT, rounded up. */
    long price(String model, long inputTokens, long outputTokens) {
        ModelRate rate = rate(model);
        BigDecimal referenceTokens = rate.input()
                .multiply(BigDecimal.valueOf(inputTokens))
                .add(rate.output().multiply(BigDecimal.valueOf(outputTokens)));
        return referenceTokens
                .multiply(BigDecimal.valueOf(Micros.PER_PT))
                .divide(BigDecimal.valueOf(settings.tokensPerCredit()), 0, RoundingMode.CEILING)
                .longValueExact();
    }

    /** The number of tokens the model's tokenizer makes of the text. */
    int countTokens(String model, String text) {
        ModelRate rate = rate(model);
        Encoding encoding = ENCODINGS
                .getEncoding(rate.encoding())
                .orElseThrow(() -> new IllegalStateException("no tokenizer encoding " + rate.encoding()));
        return encoding.countTokens(text);
    }
}
