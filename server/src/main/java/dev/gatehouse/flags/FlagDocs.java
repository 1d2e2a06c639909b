package dev.gatehouse.flags;

import dev.gatehouse.client.flags.Constraint;
import dev.gatehouse.client.flags.Dependency;
import dev.gatehouse.client.flags.Flag;
import dev.gatehouse.client.flags.FlagKind;
import dev.gatehouse.client.flags.Operator;
import dev.gatehouse.client.flags.Payload;
import dev.gatehouse.client.flags.Segment;
import dev.gatehouse.client.flags.Strategy;
import dev.gatehouse.client.flags.StrategyType;
import dev.gatehouse.client.flags.Variant;
import dev.gatehouse.client.flags.VariantOverride;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of flags, strategies, constraints, variants and segments on the admin API (the same members as
 * the snapshot document), and their conversion to the engine's model, which makes the remaining checks (an
 * {@link IllegalArgumentException} there is a 422 {@code invalid_flag}).
 */
final class FlagDocs {

    private FlagDocs() {}

    static final int MAX_LIST = 1000;

    @Schema(description = "A condition on one context field (standard field or property name)")
    record ConstraintDoc(
            @NotBlank @Size(max = 100) String contextName,

            @NotNull
            @Schema(
                    allowableValues = {
                        "IN", "NOT_IN", "STR_CONTAINS", "STR_STARTS_WITH", "STR_ENDS_WITH", "NUM_EQ", "NUM_GT",
                        "NUM_GTE", "NUM_LT", "NUM_LTE", "DATE_AFTER", "DATE_BEFORE", "SEMVER_EQ", "SEMVER_GT",
                        "SEMVER_GTE", "SEMVER_LT", "SEMVER_LTE", "REGEX", "IN_CIDR"
                    })
            String operator,

            @Schema(description = "For IN, NOT_IN, STR_* and IN_CIDR") @Nullable @Size(max = MAX_LIST)
            List<@NotNull @Size(max = 1000) String> values,

            @Schema(description = "For NUM_*, DATE_*, SEMVER_* and REGEX") @Nullable @Size(max = 1000)
            String value,

            @Nullable Boolean inverted,
            @Nullable Boolean caseInsensitive) {

        Constraint model() {
            Operator op = Operator.byName(operator);
            if (op == null) throw new IllegalArgumentException("unknown operator " + operator);
            return new Constraint(
                    contextName,
                    op,
                    values == null ? List.of() : values,
                    value,
                    Boolean.TRUE.equals(inverted),
                    Boolean.TRUE.equals(caseInsensitive));
        }

        static ConstraintDoc of(Constraint c) {
            return new ConstraintDoc(
                    c.contextName(),
                    c.operator().name(),
                    c.operator().takesList() ? c.values() : null,
                    c.value(),
                    c.inverted(),
                    c.caseInsensitive());
        }
    }

    record PayloadDoc(
            @NotBlank @Size(max = 50) @Schema(description = "string, json, csv or number")
            String type,

            @NotNull @Size(max = 65536) String value) {}

    record OverrideDoc(
            @NotBlank @Size(max = 100) String contextName,
            @NotNull @Size(max = MAX_LIST) List<@NotNull String> values) {}

    record VariantDoc(
            @NotBlank @Size(max = 200) String name,
            @Min(0) @Max(100_000) int weight,
            @Nullable @Size(max = 100) String stickiness,
            @Nullable @Valid PayloadDoc payload,
            @Nullable @Size(max = 100) List<@NotNull @Valid OverrideDoc> overrides) {

        Variant model() {
            return new Variant(
                    name,
                    weight,
                    stickiness,
                    payload == null ? null : new Payload(payload.type(), payload.value()),
                    map(overrides, o -> new VariantOverride(o.contextName(), o.values())));
        }

        static VariantDoc of(Variant v) {
            return new VariantDoc(
                    v.name(),
                    v.weight(),
                    v.stickiness(),
                    v.payload() == null
                            ? null
                            : new PayloadDoc(v.payload().type(), v.payload().value()),
                    v.overrides().stream()
                            .map(o -> new OverrideDoc(o.contextName(), o.values()))
                            .toList());
        }
    }

    record StrategyDoc(
            @NotNull @Schema(allowableValues = {"default", "flexible_rollout", "user_ids", "org_ids", "remote_address"})
            String type,

            @Schema(description = "flexible_rollout: the percentage, 0 to 100") @Nullable
            Integer rollout,

            @Schema(description = "default (user id, else session id, else random), random, or a field name")
            @Nullable
            @Size(max = 100)
            String stickiness,

            @Schema(description = "The hashing group; the flag's key when absent") @Nullable @Size(max = 200)
            String groupId,

            @Nullable @Size(max = 10_000) List<@NotNull @Size(max = 200) String> userIds,
            @Nullable @Size(max = 10_000) List<@NotNull @Size(max = 200) String> orgIds,
            @Nullable @Size(max = MAX_LIST) List<@NotNull @Size(max = 100) String> ips,
            @Nullable @Size(max = 100) List<@NotNull @Valid ConstraintDoc> constraints,
            @Nullable @Size(max = 50) List<@NotNull @Size(max = 200) String> segments,
            @Nullable @Size(max = 100) List<@NotNull @Valid VariantDoc> variants) {

        Strategy model() {
            return new Strategy(
                    StrategyType.of(type),
                    rollout,
                    stickiness,
                    groupId,
                    userIds,
                    orgIds,
                    ips,
                    map(constraints, ConstraintDoc::model),
                    segments,
                    map(variants, VariantDoc::model));
        }

        static StrategyDoc of(Strategy s) {
            return new StrategyDoc(
                    s.type().wire(),
                    s.rollout(),
                    s.stickiness(),
                    s.groupId(),
                    s.userIds(),
                    s.orgIds(),
                    s.ips(),
                    s.constraints().stream().map(ConstraintDoc::of).toList(),
                    s.segments(),
                    s.variants().stream().map(VariantDoc::of).toList());
        }
    }

    record DependencyDoc(
            @NotBlank @Size(max = 200) String flag,

            @Schema(description = "The parent's expected state; true when absent") @Nullable
            Boolean enabled,

            @Nullable @Size(max = 100) List<@NotNull @Size(max = 200) String> variants) {

        Dependency model() {
            return new Dependency(flag, !Boolean.FALSE.equals(enabled), variants);
        }

        static DependencyDoc of(Dependency d) {
            return new DependencyDoc(d.flag(), d.enabled(), d.variants());
        }
    }

    /** A new flag. */
    record NewFlag(
            @NotBlank @Size(max = 200) String key,

            @NotNull @Schema(allowableValues = {"boolean", "variant"})
            String kind,

            @Nullable @Size(max = 1000) String description,

            @Schema(description = "false when absent: a new flag is off until enabled") @Nullable
            Boolean enabled,

            @Schema(description = "None: on for everyone once enabled") @Nullable @Size(max = 100)
            List<@NotNull @Valid StrategyDoc> strategies,

            @Nullable @Size(max = 100) List<@NotNull @Valid VariantDoc> variants,
            @Nullable @Size(max = 20) List<@NotNull @Valid DependencyDoc> dependencies) {

        Flag model() {
            return new Flag(
                    key,
                    FlagKind.of(kind),
                    description,
                    Boolean.TRUE.equals(enabled),
                    map(strategies, StrategyDoc::model),
                    map(variants, VariantDoc::model),
                    map(dependencies, DependencyDoc::model));
        }
    }

    /**
     * A change to a flag: the members given replace the current ones (a description of "" removes it).
     *
     * @param version the version the change is based on; another current version is a 409
     */
    record FlagUpdate(
            @NotNull @Min(1) Long version,

            @Nullable @Schema(allowableValues = {"boolean", "variant"})
            String kind,

            @Nullable @Size(max = 1000) String description,
            @Nullable Boolean enabled,
            @Nullable @Size(max = 100) List<@NotNull @Valid StrategyDoc> strategies,
            @Nullable @Size(max = 100) List<@NotNull @Valid VariantDoc> variants,
            @Nullable @Size(max = 20) List<@NotNull @Valid DependencyDoc> dependencies) {

        Flag applyTo(Flag current) {
            return new Flag(
                    current.key(),
                    kind == null ? current.kind() : FlagKind.of(kind),
                    description == null ? current.description() : description.isEmpty() ? null : description,
                    enabled == null ? current.enabled() : enabled,
                    strategies == null ? current.strategies() : map(strategies, StrategyDoc::model),
                    variants == null ? current.variants() : map(variants, VariantDoc::model),
                    dependencies == null ? current.dependencies() : map(dependencies, DependencyDoc::model));
        }
    }

    /** A segment as written with PUT. */
    record SegmentDoc(
            @Nullable @Size(max = 1000) String description,
            @NotNull @Size(max = 100) List<@NotNull @Valid ConstraintDoc> constraints) {

        Segment model(String name) {
            return new Segment(name, description, map(constraints, ConstraintDoc::model));
        }
    }

    static <A, B> List<B> map(@Nullable List<A> list, Function<A, B> f) {
        return list == null ? List.of() : list.stream().map(f).toList();
    }
}
