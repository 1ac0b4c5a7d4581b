import type { TestClient } from './harness.js';

/** An OpenAPI description with a server URL under `prefix` and a few operations. */
export function openApiYaml(prefix: string, title = 'Demo API'): string {
  return `openapi: 3.0.3
info:
  title: ${title}
  version: 1.0.0
servers:
  - url: https://api.example.com${prefix}
paths:
  /items:
    get:
      operationId: listItems
      summary: List items
      description: Returns every item, newest first. Supports pagination.
      tags: [items]
      parameters:
        - name: limit
          in: query
          required: true
          schema: { type: integer, maximum: 100 }
          example: 10
      responses:
        '200':
          description: The items
          content:
            application/json:
              schema:
                type: array
                items: { $ref: '#/components/schemas/Item' }
              example: [{ id: '1', name: 'First' }]
    post:
      operationId: createItem
      summary: Create an item
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Item' }
            example: { name: 'New', active: true }
      responses:
        '201':
          description: Created
  /items/{id}:
    get:
      operationId: getItem
      summary: Fetch one item by id
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: string }
          example: abc
      responses:
        '200':
          description: The item
  /dm/messages:
    post:
      operationId: sendMessage
      summary: Send a direct message
      responses:
        '202':
          description: Accepted
components:
  schemas:
    Item:
      type: object
      properties:
        id: { type: string }
        name: { type: string }
        active: { type: boolean }
`;
}

export const SAVE_DOCUMENT = `mutation ($input: SaveProductDocumentInput!) {
  saveProductDocument(input: $input) {
    document { id kind slug title published { id number } draft { id number } }
    revision { id number title }
  }
}`;

export interface SavedDocument {
  saveProductDocument: {
    document: {
      id: string;
      kind: string;
      slug: string;
      title: string;
      published: { id: string; number: number } | null;
      draft: { id: string; number: number } | null;
    };
    revision: { id: string; number: number; title: string };
  };
}

/** Staff save (and by default publish) a document of a product. */
export async function saveDocument(
  staff: TestClient,
  input: Record<string, unknown>,
): Promise<SavedDocument['saveProductDocument']> {
  const data = await staff.ok<SavedDocument>(SAVE_DOCUMENT, {
    input: { publish: true, ...input },
  });
  return data.saveProductDocument;
}

export const SET_CATALOGUE = `mutation ($input: UpdateProductCatalogueInput!) {
  updateProductCatalogue(input: $input) { product { id docsPublic labs approvalMode } }
}`;

export const CREATE_ENTRY = `mutation ($input: CreateChangelogEntryInput!) {
  createChangelogEntry(input: $input) { entry { id kind title publishedAt deprecationAt sunsetAt } notifiedOwners }
}`;
