package dev.gatehouse.client.openfeature;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.JUNIT_PLATFORM_NAMING_STRATEGY_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/**
 * The provider contract: OpenFeature's specification suites for flag evaluation and events, run by Cucumber on
 * the JUnit Platform against {@link GatehouseProvider} and a snapshot server on loopback.
 *
 * <p>OpenFeature publishes no provider test kit on Maven Central or npm. Its conformance tests are the Gherkin
 * suites of the specification repository (open-feature/spec, {@code specification/assets/gherkin}:
 * {@code evaluation_v2.feature}, {@code events.feature}), which the SDKs (the Java SDK included) pull in as a git
 * submodule and run against the SDK's in-memory provider. {@code evaluation.feature} and {@code events.feature}
 * here use the same steps for the same requirements (each scenario names its section), with these differences,
 * all because the suite targets an in-memory provider of a different flag model:
 *
 * <ul>
 *   <li>the suite's flags are {@code flags.json}, a Gatehouse snapshot: its flag keys where the model can express
 *       them; its targeting ({@code email == ...}) is a constraint;
 *   <li>a variant flag that is off for the context answers the caller's default with DEFAULT (in the suite's
 *       in-memory model, a flag always has a default variant);
 *   <li>boolean zero values ({@code boolean-zero-flag}: on for everyone, value false) do not exist: a boolean flag's
 *       value is whether it is on;
 *   <li>scenarios about the SDK alone (hooks, CACHED, asynchronous evaluation, immutability of details) are left
 *       to the SDK's own suite; scenarios about this provider's polling (STALE, recovery, a refused key, kill
 *       switches) are added.
 * </ul>
 */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("dev/gatehouse/client/openfeature")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "dev.gatehouse.client.openfeature")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "summary")
@ConfigurationParameter(key = JUNIT_PLATFORM_NAMING_STRATEGY_PROPERTY_NAME, value = "long")
class OpenFeatureSpecificationTest {}
