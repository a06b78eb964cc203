"""FastAPI app used to generate ground-truth validation-error fixtures."""
import uuid
from datetime import datetime
from enum import Enum
from typing import Annotated

from fastapi import Cookie, Depends, FastAPI, Header, Query
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, EmailStr, Field, HttpUrl, field_validator, model_validator

app = FastAPI()

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/login/access-token")


class ItemCreate(BaseModel):
    title: str = Field(min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=255)


class UserCreate(BaseModel):
    email: EmailStr = Field(max_length=255)
    password: str = Field(min_length=8, max_length=128)
    is_active: bool = True
    is_superuser: bool = False
    full_name: str | None = Field(default=None, max_length=255)


class Color(str, Enum):
    red = "red"
    green = "green"
    blue = "blue"


class Thing(BaseModel):
    color: Color
    tags: list[str] = Field(default_factory=list, max_length=3)
    code: str = Field(pattern="^[A-Z]{3}$")
    count: int
    ratio: float
    flag: bool
    ref: uuid.UUID
    when: datetime


class Signup(BaseModel):
    password: str = Field(min_length=8)
    password_confirm: str
    website: HttpUrl | None = None
    scores: list[Annotated[int, Field(ge=0, le=10)]] = []

    @field_validator("password")
    @classmethod
    def strong_password(cls, value):
        if value.isalpha():
            raise ValueError("the password needs a digit or a symbol")
        return value

    @model_validator(mode="after")
    def passwords_match(self):
        if self.password != self.password_confirm:
            raise ValueError("passwords do not match")
        return self


@app.post("/signup")
def signup(signup: Signup):
    return signup


@app.post("/items")
def create_item(item: ItemCreate):
    return {"ok": True, "item": item}


@app.get("/items")
def read_items(skip: int = 0, limit: int = Query(default=100, le=1000)):
    return {"skip": skip, "limit": limit}


@app.get("/numbers")
def read_numbers(
    a: int = Query(0, gt=0),
    b: float = Query(1.0, ge=1),
    c: int = Query(0, lt=5),
    d: int = Query(0, le=5),
):
    return {"a": a, "b": b, "c": c, "d": d}


@app.get("/items/{id}")
def read_item(id: uuid.UUID):
    return {"id": id}


@app.post("/users")
def create_user(user: UserCreate):
    return {"ok": True, "user": user}


@app.post("/login/access-token")
def login_access_token(form_data: Annotated[OAuth2PasswordRequestForm, Depends()]):
    return {
        "username": form_data.username,
        "password": form_data.password,
        "grant_type": form_data.grant_type,
        "scopes": form_data.scopes,
        "client_id": form_data.client_id,
        "client_secret": form_data.client_secret,
    }


@app.post("/things")
def create_thing(thing: Thing):
    return {"ok": True, "thing": thing}


@app.get("/headers")
def read_headers(
    token: Annotated[str, Depends(oauth2_scheme)],
    x_token: str = Header(),
    session: str = Cookie(),
):
    return {"token": token, "x_token": x_token, "session": session}


@app.get("/boom")
def boom():
    raise Exception("boom")
