def test_dashboard_renders_for_the_brokerage_admin(client_a):
    response = client_a.get("/")
    assert response.status_code == 200
    assert "Correduría Alfa" in response.content.decode()
