"""The data core: schema, migrations, domain rules, operations and queries. Imports no Qt."""
