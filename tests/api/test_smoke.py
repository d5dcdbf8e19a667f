from models.enums import Role


async def test_health_reports_the_database(api):
    response = await api.client.http.get("/health")
    assert response.status_code == 200
    assert response.json()["database"] == api.dialect


async def test_create_customer_then_list_it(api):
    client, _ = await api.client_for(Role.SALES)
    data = await client.data(
        """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
            customer { id code name phone email tags address { state country } owner { name }
                       credit { limit outstanding level } segments { id } }
            errors { field message code } } }""",
        {
            "input": {
                "name": "Shree Ganesh Engineering",
                "businessType": "SMALL_BUSINESS",
                "email": "Accounts@Ganesh.example",
                "phone": "098200 12345",
                "tags": ["Key Account", "key-account", "MSME"],
                "address": {"state": "MH", "city": "Pune"},
            }
        },
    )
    payload = data["createCustomer"]
    assert payload["errors"] == []
    customer = payload["customer"]
    assert customer["phone"] == "+919820012345"
    assert customer["email"] == "accounts@ganesh.example"
    assert customer["tags"] == ["key-account", "msme"]
    assert customer["address"]["state"] == "Maharashtra"
    assert customer["credit"] == {"limit": None, "outstanding": "0.00", "level": "NO_LIMIT"}
    listed = await client.data("{ customers { totalCount edges { node { id code } } } }")
    assert listed["customers"]["totalCount"] == 1
