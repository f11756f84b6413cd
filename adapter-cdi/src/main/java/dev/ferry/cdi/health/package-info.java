/**
 * MicroProfile Health checks backed by {@link dev.ferry.BusHealth}. The classes here refer to the
 * MicroProfile Health API, which only some servers provide; they carry no bean-defining annotation,
 * so that scanning never loads them, and {@link dev.ferry.cdi.FerryExtension} adds them as beans
 * only when the API is there.
 */
package dev.ferry.cdi.health;
