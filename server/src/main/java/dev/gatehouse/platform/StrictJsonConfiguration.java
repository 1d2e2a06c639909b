package dev.gatehouse.platform;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The strict JSON input policy of the API. A request body is read exactly as typed, or refused with a
 * 400 problem that names the field ({@code validation_failed}, or {@code malformed_json} /
 * {@code malformed_body} when there is no field to blame):
 *
 * <ul>
 *   <li>unknown fields are rejected (a typo must not be silently ignored);
 *   <li>no scalar coercion: a number or boolean where a string is expected, a string where a number or
 *       boolean is expected, a number for a boolean, a fraction for an integer, or a number for an enum are
 *       all wrong types. Jackson would otherwise turn {@code "12"} into 12 and {@code 1} into true, and a
 *       client bug would pass unnoticed until it mattered;
 *   <li>{@code null} for a primitive, trailing content after the document, and a duplicate key in one
 *       object are rejected; the last matters because two parsers that disagree on which duplicate wins
 *       are a known way to smuggle a value past a check;
 *   <li>every string and object key meets {@link InputText}'s rule (no NUL or other control characters, no
 *       unpaired surrogates), whatever field it is bound to.
 * </ul>
 *
 * Properties in {@code spring.jackson.*} keep the wire format (snake_case, no nulls); this customizer only
 * tightens input. {@code StrictJsonTest} pins every rule.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictJsonInput() {
        return builder -> builder.addModule(new SimpleModule("gatehouse-input-text")
                        .addDeserializer(String.class, new CheckedString())
                        .addKeyDeserializer(String.class, new CheckedKey()))
                .enable(
                        DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(
                        LogicalType.Textual,
                        refuse(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean))
                .withCoercionConfig(
                        LogicalType.Integer,
                        refuse(
                                CoercionInputShape.String,
                                CoercionInputShape.EmptyString,
                                CoercionInputShape.Float,
                                CoercionInputShape.Boolean))
                .withCoercionConfig(
                        LogicalType.Float,
                        refuse(CoercionInputShape.String, CoercionInputShape.EmptyString, CoercionInputShape.Boolean))
                .withCoercionConfig(
                        LogicalType.Boolean,
                        refuse(
                                CoercionInputShape.String,
                                CoercionInputShape.EmptyString,
                                CoercionInputShape.Integer,
                                CoercionInputShape.Float))
                .withCoercionConfig(
                        LogicalType.Enum, refuse(CoercionInputShape.Integer, CoercionInputShape.EmptyString));
    }

    /** A JSON string that breaks {@link InputText}'s rule; the problem names its field and says why. */
    static final class RefusedText extends InvalidFormatException {
        RefusedText(@Nullable JsonParser parser, String reason, String value) {
            super(parser, reason, value, String.class);
        }

        String reason() {
            String reason = getOriginalMessage();
            return reason == null ? InputText.CONTROL_CHARACTER : reason;
        }
    }

    /** Jackson's own string reading, then the rule: one place for every string field of every body. */
    static final class CheckedString extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = super.deserialize(p, ctxt);
            String refusal = value == null ? null : InputText.refusal(value);
            if (refusal != null) throw new RefusedText(p, refusal, value);
            return value;
        }
    }

    /** The same rule for the keys of maps bound from a body. */
    static final class CheckedKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) {
            String refusal = InputText.refusal(key);
            if (refusal != null) throw new RefusedText(ctxt.getParser(), refusal, key);
            return key;
        }
    }

    /** Makes a JSON value of these shapes an error for the target type instead of converting it. */
    private static Consumer<MutableCoercionConfig> refuse(CoercionInputShape... shapes) {
        return config -> {
            for (CoercionInputShape shape : shapes) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        };
    }
}
