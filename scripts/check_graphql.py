"""Checks /graphql with graphql-core, the reference implementation's Python port, as a client would.

1. The standard introspection query (graphql-core's own), sent without a token, builds a client
   schema that graphql-core accepts.
2. A new user's token: the user creates an item through a mutation, and `items` then answers
   exactly that user's items, checked against the schema by graphql-core before it is sent.
3. A query nested past the depth limit is refused before it runs.

Usage: check_graphql.py ROOT_URL SUPERUSER_TOKEN   (ROOT_URL: http://127.0.0.1:PORT)
"""

import json
import sys
import urllib.request
import uuid

from graphql import build_client_schema, get_introspection_query, parse, validate


def post(url, body, token=None, form=False):
    headers = {"Content-Type": "application/x-www-form-urlencoded" if form else "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body.encode() if form else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers)) as response:
        return json.load(response)


def main(root, superuser_token):
    graphql = f"{root}/graphql"
    introspection = post(graphql, {"query": get_introspection_query(descriptions=True)})
    assert "errors" not in introspection, introspection
    schema = build_client_schema(introspection["data"])
    assert {"me", "items", "item"} <= set(schema.query_type.fields), schema.query_type.fields

    email = f"graphql-{uuid.uuid4().hex[:8]}@example.com"
    post(f"{root}/api/v1/users/", {"email": email, "password": "graphql-password"}, superuser_token)
    token = post(f"{root}/api/v1/login/access-token", f"username={email}&password=graphql-password", form=True)["access_token"]

    def run(query, variables=None):
        problems = validate(schema, parse(query))
        assert not problems, problems
        return post(graphql, {"query": query, "variables": variables}, token)

    created = run("mutation($title: String!) { createItem(title: $title) { id ownerId } }", {"title": "From graphql-core"})
    assert "errors" not in created, created
    me = run("{ me { id email } }")["data"]["me"]
    assert me["email"] == email, me
    items = run("{ items { count data { id title ownerId } } }")["data"]["items"]
    assert items["count"] == 1 and items["data"] == [
        {"id": created["data"]["createItem"]["id"], "title": "From graphql-core", "ownerId": me["id"]}
    ], items

    deep = "{ me { items { data { owner { items { data { owner { items { data { owner { id } } } } } } } } } } }"
    refused = post(graphql, {"query": deep}, token)
    assert "data" not in refused and refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP", refused
    print(f"  introspection: {len(schema.type_map)} types; {email} reads its 1 item; a query 11 deep is refused")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
