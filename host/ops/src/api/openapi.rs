//! The OpenAPI 3 description served at `/api/v1/openapi.json`, written by hand (seven
//! routes do not need a generator). A test holds it to the route table: every route
//! the router answers is described, and nothing else is.

use serde_json::{Value, json};

/// The document.
pub fn document() -> Value {
    let error = json!({ "$ref": "#/components/responses/Error" });
    let errors = |codes: &[&str]| -> Value {
        Value::Object(
            codes
                .iter()
                .map(|c| (c.to_string(), error.clone()))
                .collect(),
        )
    };
    let with = |mut ok: Value, codes: &[&str]| -> Value {
        if let (Some(map), Value::Object(more)) = (ok.as_object_mut(), errors(codes)) {
            map.extend(more);
        }
        ok
    };
    let ok_json = |code: &str, description: &str, schema: Value| {
        json!({ code: {
            "description": description,
            "content": { "application/json": { "schema": schema } }
        }})
    };
    let body = |schema: Value| {
        json!({
            "required": true,
            "content": { "application/json": { "schema": schema } }
        })
    };
    let board_param = json!({
        "name": "board", "in": "path", "required": true,
        "schema": { "type": "string" }, "description": "a board's name, any case"
    });
    let read = ["401", "403", "404", "429"];
    let write = [
        "400", "401", "403", "404", "408", "411", "413", "422", "429",
    ];
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "meshmush BBS API",
            "version": "1",
            "description": "Read the boards, post, mail and @wall on a meshmush BBS. Writes run the radio's own commands: the same limits, sync to peer BBSes and airtime shares."
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "token": [] }],
        "paths": {
            "/openapi.json": { "get": {
                "summary": "This document", "security": [],
                "responses": ok_json("200", "the OpenAPI document", json!({ "type": "object" }))
            }},
            "/boards": { "get": {
                "summary": "The boards (scope read)",
                "responses": with(ok_json("200", "the boards", json!({
                    "type": "object", "required": ["boards"],
                    "properties": { "boards": { "type": "array", "items": { "$ref": "#/components/schemas/Board" } } }
                })), &read)
            }},
            "/boards/{board}/posts": {
                "parameters": [board_param],
                "get": {
                    "summary": "A board's posts numbered above `since`, oldest first (scope read)",
                    "parameters": [
                        { "name": "since", "in": "query", "schema": { "type": "integer", "minimum": 0, "default": 0 } },
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 50, "default": 50 } }
                    ],
                    "responses": with(ok_json("200", "the posts", json!({
                        "type": "object", "required": ["board", "posts"],
                        "properties": {
                            "board": { "type": "string" },
                            "posts": { "type": "array", "items": { "$ref": "#/components/schemas/Post" } }
                        }
                    })), &["400", "401", "403", "404", "429"])
                },
                "post": {
                    "summary": "Post to a board as `NAME (api)` (scope post)",
                    "requestBody": body(json!({ "$ref": "#/components/schemas/Text" })),
                    "responses": with(ok_json("201", "posted", json!({
                        "type": "object", "required": ["board", "num", "author", "reply"],
                        "properties": {
                            "board": { "type": "string" }, "num": { "type": "integer" },
                            "author": { "type": "string" }, "reply": { "type": "string" }
                        }
                    })), &write)
                }
            },
            "/mail": { "post": {
                "summary": "Mail a player, or any node by its id (scope mail)",
                "requestBody": body(json!({
                    "type": "object", "required": ["to", "text"], "additionalProperties": false,
                    "properties": {
                        "to": { "type": "string", "description": "a player's name or a node id like !4d4d1004" },
                        "text": { "type": "string" }
                    }
                })),
                "responses": with(ok_json("201", "sent, or left for a node to be told when next heard", json!({
                    "type": "object", "required": ["to", "reply"],
                    "properties": { "to": { "type": "string" }, "reply": { "type": "string" } }
                })), &write)
            }},
            "/wall": { "post": {
                "summary": "One packet on the primary channel, within the channel gap (scope wall)",
                "requestBody": body(json!({ "$ref": "#/components/schemas/Text" })),
                "responses": with(ok_json("200", "sent on the channel", json!({
                    "type": "object", "required": ["reply"],
                    "properties": { "reply": { "type": "string" } }
                })), &write)
            }},
            "/nodes": { "get": {
                "summary": "The nodes the radio has heard, most recent first (scope read)",
                "responses": with(ok_json("200", "the nodes", json!({
                    "type": "object", "required": ["nodes"],
                    "properties": { "nodes": { "type": "array", "items": { "$ref": "#/components/schemas/Node" } } }
                })), &read)
            }}
        },
        "components": {
            "securitySchemes": {
                "token": { "type": "http", "scheme": "bearer",
                    "description": "meshmush admin token create NAME --scopes read,post,mail,wall" }
            },
            "responses": {
                "Error": { "description": "refused: the message says why",
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            },
            "schemas": {
                "Error": { "type": "object", "required": ["error"],
                    "properties": { "error": { "type": "string" } } },
                "Text": { "type": "object", "required": ["text"], "additionalProperties": false,
                    "properties": { "text": { "type": "string" } } },
                "Board": { "type": "object",
                    "required": ["name", "description", "urgent", "last_post", "may_post"],
                    "properties": {
                        "name": { "type": "string" }, "description": { "type": "string" },
                        "urgent": { "type": "boolean" }, "last_post": { "type": "integer" },
                        "may_post": { "type": "boolean" }
                    } },
                "Post": { "type": "object",
                    "required": ["num", "author", "time", "subject", "text"],
                    "properties": {
                        "num": { "type": "integer" }, "author": { "type": "string" },
                        "time": { "type": "integer", "description": "Unix seconds" },
                        "subject": { "type": "string" }, "text": { "type": "string" },
                        "reply_to": { "type": "integer", "nullable": true }
                    } },
                "Node": { "type": "object",
                    "required": ["id", "num", "short_name", "long_name", "last_heard"],
                    "properties": {
                        "id": { "type": "string" }, "num": { "type": "integer" },
                        "short_name": { "type": "string" }, "long_name": { "type": "string" },
                        "last_heard": { "type": "integer", "description": "Unix seconds" }
                    } }
            }
        }
    })
}

/// Every (method, path) the document describes, methods in capitals.
pub fn described() -> Vec<(String, String)> {
    let doc = document();
    let mut out = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
                if item.get(method).is_some() {
                    out.push((method.to_uppercase(), path.clone()));
                }
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::super::routes::ROUTES;
    use super::*;

    #[test]
    fn the_document_describes_every_route_and_no_other() {
        let mut routes: Vec<(String, String)> = ROUTES
            .iter()
            .map(|r| (r.method.to_string(), r.path.to_string()))
            .collect();
        routes.sort();
        assert_eq!(described(), routes);
        assert_eq!(document()["openapi"], "3.0.3");
    }
}
