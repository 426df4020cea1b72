def test_welcome_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="en" dir="ltr">' in response.data
