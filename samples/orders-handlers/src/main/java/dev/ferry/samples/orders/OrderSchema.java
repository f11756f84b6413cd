package dev.ferry.samples.orders;

import org.jdbi.v3.core.Jdbi;

/** The sample's own tables (Ferry's store keeps its tables in a schema of its own). */
public final class OrderSchema {
  private OrderSchema() {}

  /** Creates the tables if they are missing; safe to run on every start and on many nodes. */
  public static void install(Jdbi jdbi) {
    jdbi.useTransaction(
        h -> {
          // Serialises concurrent installs (several nodes starting at once).
          h.execute("select pg_advisory_xact_lock(hashtext('ferry-sample-orders'))");
          h.execute(
              "create table if not exists orders (id uuid primary key, customer text not null,"
                  + " email text not null, total numeric(12,2) not null, items int not null,"
                  + " created_at timestamptz not null default now())");
          h.execute(
              "create table if not exists stock (sku text primary key,"
                  + " available int not null check (available >= 0))");
          h.execute(
              "create table if not exists invoices (order_id uuid primary key,"
                  + " amount numeric(12,2) not null, created_at timestamptz not null default"
                  + " now())");
          h.execute(
              "create table if not exists emails (order_id uuid primary key, recipient text not"
                  + " null, subject text not null, created_at timestamptz not null default now())");
          h.execute(
              "create table if not exists shipments (order_id uuid primary key, worker text not"
                  + " null, attempt int not null, created_at timestamptz not null default now())");
          h.execute(
              "create table if not exists carrier (id int primary key check (id = 1),"
                  + " available boolean not null)");
          h.execute("insert into carrier (id, available) values (1, true) on conflict do nothing");
        });
  }
}
