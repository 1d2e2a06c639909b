package dev.gatehouse.platform;

import java.util.function.Consumer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MutableCoercionConfig;
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
 *       are a known way to smuggle a value past a check.
 * </ul>
 *
 * Properties in {@code spring.jackson.*} keep the wire format (snake_case, no nulls); this customizer only
 * tightens input. {@code StrictJsonTest} pins every rule.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictJsonInput() {
        return builder -> builder.enable(
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

    /** Makes a JSON value of these shapes an error for the target type instead of converting it. */
    private static Consumer<MutableCoercionConfig> refuse(CoercionInputShape... shapes) {
        return config -> {
            for (CoercionInputShape shape : shapes) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        };
    }
}
