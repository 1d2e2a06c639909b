/**
 * An OpenFeature provider for the OpenFeature Java SDK ({@code dev.openfeature:sdk}): {@link
 * dev.gatehouse.client.openfeature.GatehouseProvider} evaluates flags in the application's own process with the
 * engine the server uses ({@link dev.gatehouse.client.flags.FlagEngine}), from the server's snapshot document, kept
 * fresh by polling {@code GET /api/v1/flags/snapshot} with its ETag. The SDK is an optional dependency of this
 * library: an application that uses the provider declares it.
 */
package dev.gatehouse.client.openfeature;
