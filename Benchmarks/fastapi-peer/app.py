"""FastAPI peer for the side-by-side benchmark of the sample domain (users, items, login).

The code below is the backend of the full-stack FastAPI template (fastapi/full-stack-fastapi-template,
backend/app/...) cut down to the endpoints the benchmark drives, folded into one file. Each section
names the template module it follows; the handlers, dependencies, models and status codes are the
template's, unchanged:

- SQLModel table models `User` ("user") and `Item` ("item"), UUID ids, `created_at` timestamptz
- a synchronous SQLModel engine on psycopg 3 (`postgresql+psycopg://`), one `Session` per request
  through the `SessionDep` dependency; sync handlers run in FastAPI's thread pool
- PyJWT HS256 access tokens, claims {"exp", "sub": user id}; `CurrentUser` via OAuth2PasswordBearer
- pwdlib Argon2 (default parameters, as `PasswordHash.recommended()`) with bcrypt as a legacy verifier

Endpoints (all under /api/v1):
    GET  /utils/health-check/          -> true
    POST /login/access-token           OAuth2 password form -> {"access_token", "token_type": "bearer"}
    POST /login/test-token             -> UserPublic
    GET  /items/?skip=&limit=          -> {"data": [...], "count": n}, newest first
    GET  /items/{id}                   -> ItemPublic (404 before 403)
    POST /items/                       -> ItemPublic (200), owner = current user

Configuration (environment):
    DATABASE_URL   postgres://user[:pw]@host:port/db   (or POSTGRES_SERVER/PORT/USER/PASSWORD/DB)
    SECRET_KEY     JWT signing key. Must be the same in every worker process: start-peer.sh sets it.
"""

import os
import secrets
import uuid
from collections.abc import Generator
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Depends, FastAPI, HTTPException, status
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from jwt.exceptions import InvalidTokenError
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher
from pydantic import EmailStr, ValidationError, computed_field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import DateTime
from sqlmodel import (
    Field,
    Relationship,
    Session,
    SQLModel,
    col,
    create_engine,
    func,
    select,
)
from starlette.middleware.cors import CORSMiddleware


# --------------------------------------------------------------------------- app/core/config.py
class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore")

    API_V1_STR: str = "/api/v1"
    SECRET_KEY: str = secrets.token_urlsafe(32)
    # 60 minutes * 24 hours * 8 days = 8 days
    ACCESS_TOKEN_EXPIRE_MINUTES: int = 60 * 24 * 8
    FRONTEND_HOST: str = "http://localhost:5173"
    PROJECT_NAME: str = "FastAPI peer"

    # The benchmark passes one URL (postgres://...); the template's POSTGRES_* variables also work.
    DATABASE_URL: str | None = None
    POSTGRES_SERVER: str = "127.0.0.1"
    POSTGRES_PORT: int = 5432
    POSTGRES_USER: str = "postgres"
    POSTGRES_PASSWORD: str = ""
    POSTGRES_DB: str = "peer"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def SQLALCHEMY_DATABASE_URI(self) -> str:
        if self.DATABASE_URL:
            scheme, rest = self.DATABASE_URL.split("://", 1)
            assert scheme in ("postgres", "postgresql", "postgresql+psycopg"), scheme
            return f"postgresql+psycopg://{rest}"
        password = f":{self.POSTGRES_PASSWORD}" if self.POSTGRES_PASSWORD else ""
        return (
            f"postgresql+psycopg://{self.POSTGRES_USER}{password}@"
            f"{self.POSTGRES_SERVER}:{self.POSTGRES_PORT}/{self.POSTGRES_DB}"
        )


settings = Settings()  # type: ignore


# --------------------------------------------------------------------------- app/models.py
def get_datetime_utc() -> datetime:
    return datetime.now(timezone.utc)


# Shared properties
class UserBase(SQLModel):
    email: EmailStr = Field(unique=True, index=True, max_length=255)
    is_active: bool = True
    is_superuser: bool = False
    full_name: str | None = Field(default=None, max_length=255)


# Properties to receive via API on creation
class UserCreate(UserBase):
    password: str = Field(min_length=8, max_length=128)


# Database model, database table inferred from class name
class User(UserBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    hashed_password: str
    created_at: datetime | None = Field(
        default_factory=get_datetime_utc,
        sa_type=DateTime(timezone=True),  # type: ignore
    )
    items: list["Item"] = Relationship(back_populates="owner", cascade_delete=True)


# Properties to return via API, id is always required
class UserPublic(UserBase):
    id: uuid.UUID
    created_at: datetime | None = None


# Shared properties
class ItemBase(SQLModel):
    title: str = Field(min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=255)


# Properties to receive on item creation
class ItemCreate(ItemBase):
    pass


# Database model, database table inferred from class name
class Item(ItemBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime | None = Field(
        default_factory=get_datetime_utc,
        sa_type=DateTime(timezone=True),  # type: ignore
    )
    owner_id: uuid.UUID = Field(
        foreign_key="user.id", nullable=False, ondelete="CASCADE"
    )
    owner: User | None = Relationship(back_populates="items")


# Properties to return via API, id is always required
class ItemPublic(ItemBase):
    id: uuid.UUID
    owner_id: uuid.UUID
    created_at: datetime | None = None


class ItemsPublic(SQLModel):
    data: list[ItemPublic]
    count: int


# JSON payload containing access token
class Token(SQLModel):
    access_token: str
    token_type: str = "bearer"


# Contents of JWT token
class TokenPayload(SQLModel):
    sub: str | None = None


# --------------------------------------------------------------------------- app/core/security.py
password_hash = PasswordHash(
    (
        Argon2Hasher(),
        BcryptHasher(),
    )
)


ALGORITHM = "HS256"


def create_access_token(subject: str | Any, expires_delta: timedelta) -> str:
    expire = datetime.now(timezone.utc) + expires_delta
    to_encode = {"exp": expire, "sub": str(subject)}
    encoded_jwt = jwt.encode(to_encode, settings.SECRET_KEY, algorithm=ALGORITHM)
    return encoded_jwt


def verify_password(
    plain_password: str, hashed_password: str
) -> tuple[bool, str | None]:
    return password_hash.verify_and_update(plain_password, hashed_password)


def get_password_hash(password: str) -> str:
    return password_hash.hash(password)


# --------------------------------------------------------------------------- app/core/db.py
engine = create_engine(settings.SQLALCHEMY_DATABASE_URI)


# --------------------------------------------------------------------------- app/crud.py
def create_user(*, session: Session, user_create: UserCreate) -> User:
    db_obj = User.model_validate(
        user_create, update={"hashed_password": get_password_hash(user_create.password)}
    )
    session.add(db_obj)
    session.commit()
    session.refresh(db_obj)
    return db_obj


def get_user_by_email(*, session: Session, email: str) -> User | None:
    statement = select(User).where(User.email == email)
    session_user = session.exec(statement).first()
    return session_user


# Dummy hash to use for timing attack prevention when user is not found
# This is an Argon2 hash of a random password, used to ensure constant-time comparison
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$MjQyZWE1MzBjYjJlZTI0Yw$YTU4NGM5ZTZmYjE2NzZlZjY0ZWY3ZGRkY2U2OWFjNjk"


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    db_user = get_user_by_email(session=session, email=email)
    if not db_user:
        # Prevent timing attacks by running password verification even when user doesn't exist
        # This ensures the response time is similar whether or not the email exists
        verify_password(password, DUMMY_HASH)
        return None
    verified, updated_password_hash = verify_password(password, db_user.hashed_password)
    if not verified:
        return None
    if updated_password_hash:
        db_user.hashed_password = updated_password_hash
        session.add(db_user)
        session.commit()
        session.refresh(db_user)
    return db_user


# --------------------------------------------------------------------------- app/api/deps.py
reusable_oauth2 = OAuth2PasswordBearer(
    tokenUrl=f"{settings.API_V1_STR}/login/access-token"
)


def get_db() -> Generator[Session, None, None]:
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
TokenDep = Annotated[str, Depends(reusable_oauth2)]


def get_current_user(session: SessionDep, token: TokenDep) -> User:
    try:
        payload = jwt.decode(token, settings.SECRET_KEY, algorithms=[ALGORITHM])
        token_data = TokenPayload(**payload)
    except (InvalidTokenError, ValidationError):
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="Could not validate credentials",
        )
    user = session.get(User, token_data.sub)
    if not user:
        raise HTTPException(status_code=404, detail="User not found")
    if not user.is_active:
        raise HTTPException(status_code=400, detail="Inactive user")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


# --------------------------------------------------------------------------- app/api/routes/login.py
login_router = APIRouter(tags=["login"])


@login_router.post("/login/access-token")
def login_access_token(
    session: SessionDep, form_data: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> Token:
    """
    OAuth2 compatible token login, get an access token for future requests
    """
    user = authenticate(
        session=session, email=form_data.username, password=form_data.password
    )
    if not user:
        raise HTTPException(status_code=400, detail="Incorrect email or password")
    elif not user.is_active:
        raise HTTPException(status_code=400, detail="Inactive user")
    access_token_expires = timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES)
    return Token(
        access_token=create_access_token(user.id, expires_delta=access_token_expires)
    )


@login_router.post("/login/test-token", response_model=UserPublic)
def test_token(current_user: CurrentUser) -> Any:
    """
    Test access token
    """
    return current_user


# --------------------------------------------------------------------------- app/api/routes/items.py
items_router = APIRouter(prefix="/items", tags=["items"])


@items_router.get("/", response_model=ItemsPublic)
def read_items(
    session: SessionDep, current_user: CurrentUser, skip: int = 0, limit: int = 100
) -> Any:
    """
    Retrieve items.
    """

    if current_user.is_superuser:
        count_statement = select(func.count()).select_from(Item)
        count = session.exec(count_statement).one()
        statement = (
            select(Item).order_by(col(Item.created_at).desc()).offset(skip).limit(limit)
        )
        items = session.exec(statement).all()
    else:
        count_statement = (
            select(func.count())
            .select_from(Item)
            .where(Item.owner_id == current_user.id)
        )
        count = session.exec(count_statement).one()
        statement = (
            select(Item)
            .where(Item.owner_id == current_user.id)
            .order_by(col(Item.created_at).desc())
            .offset(skip)
            .limit(limit)
        )
        items = session.exec(statement).all()

    return ItemsPublic(data=items, count=count)


def read_item(session: SessionDep, current_user: CurrentUser, id: uuid.UUID) -> Any:
    """
    Get item by ID.
    """
    item = session.get(Item, id)
    if not item:
        raise HTTPException(status_code=404, detail="Item not found")
    if not current_user.is_superuser and (item.owner_id != current_user.id):
        raise HTTPException(status_code=403, detail="Not enough permissions")
    return item


# --------------------------------------------------------------------------- cached reads (REDIS_URL)
# Without REDIS_URL, the template's read (above); with it, the item read caches its user and its item in Redis the way fastapi-cache2 does
# (redis-py's asyncio client with the hiredis parser; GET, else compute and SET ... EX; JSON values;
# a weak ETag from the encoded value, If-None-Match answered 304): what a FastAPI user of the
# template adds for caching. The database is reached from the threadpool, as sync SQLModel code is.
REDIS_URL = os.environ.get("REDIS_URL")
if not REDIS_URL:
    items_router.get("/{id}", response_model=ItemPublic)(read_item)
else:
    import hashlib

    import redis.asyncio as aioredis
    from fastapi import Request, Response
    from starlette.concurrency import run_in_threadpool

    cache_redis = aioredis.from_url(REDIS_URL)
    CACHE_EXPIRE = 60

    def _load_user(user_id: str) -> str | None:
        with Session(engine) as session:
            user = session.get(User, user_id)
            return UserPublic.model_validate(user).model_dump_json() if user else None

    def _load_item(item_id: uuid.UUID) -> str | None:
        with Session(engine) as session:
            item = session.get(Item, item_id)
            return ItemPublic.model_validate(item).model_dump_json() if item else None

    async def cached(key: str, load: Any, *args: Any) -> str | None:
        value = await cache_redis.get(f"fastapi-cache:{key}")
        if value is not None:
            return value.decode()
        value = await run_in_threadpool(load, *args)
        if value is not None:
            await cache_redis.set(f"fastapi-cache:{key}", value, ex=CACHE_EXPIRE)
        return value

    async def get_current_user_cached(token: TokenDep) -> UserPublic:
        try:
            payload = jwt.decode(token, settings.SECRET_KEY, algorithms=[ALGORITHM])
            token_data = TokenPayload(**payload)
        except (InvalidTokenError, ValidationError):
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Could not validate credentials")
        data = await cached(f"user:{token_data.sub}", _load_user, token_data.sub)
        if data is None:
            raise HTTPException(status_code=404, detail="User not found")
        user = UserPublic.model_validate_json(data)
        if not user.is_active:
            raise HTTPException(status_code=400, detail="Inactive user")
        return user

    @items_router.get("/{id}", response_model=ItemPublic)
    async def read_item_cached(
        request: Request, current_user: Annotated[UserPublic, Depends(get_current_user_cached)], id: uuid.UUID
    ) -> Any:
        data = await cached(f"item:{id}", _load_item, id)
        if data is None:
            raise HTTPException(status_code=404, detail="Item not found")
        item = ItemPublic.model_validate_json(data)
        if not current_user.is_superuser and (item.owner_id != current_user.id):
            raise HTTPException(status_code=403, detail="Not enough permissions")
        etag = f"W/{hashlib.md5(data.encode()).hexdigest()}"
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return Response(
            content=item.model_dump_json(), media_type="application/json",
            headers={"ETag": etag, "Cache-Control": f"max-age={CACHE_EXPIRE}"},
        )


@items_router.post("/", response_model=ItemPublic)
def create_item(
    *, session: SessionDep, current_user: CurrentUser, item_in: ItemCreate
) -> Any:
    """
    Create new item.
    """
    item = Item.model_validate(item_in, update={"owner_id": current_user.id})
    session.add(item)
    session.commit()
    session.refresh(item)
    return item


# --------------------------------------------------------------------------- app/api/routes/utils.py
utils_router = APIRouter(prefix="/utils", tags=["utils"])


@utils_router.get("/health-check/")
async def health_check() -> bool:
    return True


# --------------------------------------------------------------------------- app/api/main.py
api_router = APIRouter()
api_router.include_router(login_router)
api_router.include_router(items_router)
api_router.include_router(utils_router)


# --------------------------------------------------------------------------- app/main.py
def custom_generate_unique_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}"


app = FastAPI(
    title=settings.PROJECT_NAME,
    openapi_url=f"{settings.API_V1_STR}/openapi.json",
    generate_unique_id_function=custom_generate_unique_id,
)

# Set all CORS enabled origins
app.add_middleware(
    CORSMiddleware,
    allow_origins=[settings.FRONTEND_HOST],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)

app.include_router(api_router, prefix=settings.API_V1_STR)
