"""Create the peer's tables and seed the benchmark data, like the template's app/core/db.py init_db.

    DATABASE_URL=postgres://postgres@127.0.0.1:PORT/peer python seed.py

- creates the tables "user" and "item" (SQLModel.metadata.create_all, as init_db does when Alembic
  is not used) in the database named by DATABASE_URL (or POSTGRES_*); other databases on the same
  server, and other tables in this one, are not touched
- ensures one ordinary (non-superuser, active) user bench@example.com / "benchpassword", its password
  hashed by crud.create_user (pwdlib Argon2, default parameters)
- deletes that user's items and inserts 100 fresh ones ("Item 1" ... "Item 100"), so every run starts
  from the same state even after a create-item benchmark added rows

Prints one line: USER_ID=<uuid> ITEM_ID=<uuid of one seeded item> ITEMS=100
"""

import os
from datetime import timedelta

from sqlmodel import Session, SQLModel, delete, select

from app import Item, User, UserCreate, create_user, engine, get_datetime_utc

BENCH_EMAIL = os.environ.get("BENCH_EMAIL", "bench@example.com")
BENCH_PASSWORD = os.environ.get("BENCH_PASSWORD", "benchpassword")
BENCH_ITEMS = int(os.environ.get("BENCH_ITEMS", "100"))


def init_db(session: Session) -> tuple[User, list[Item]]:
    SQLModel.metadata.create_all(engine)

    user = session.exec(select(User).where(User.email == BENCH_EMAIL)).first()
    if not user:
        user_in = UserCreate(email=BENCH_EMAIL, password=BENCH_PASSWORD, full_name="Bench User")
        user = create_user(session=session, user_create=user_in)

    session.exec(delete(Item).where(Item.owner_id == user.id))  # type: ignore[call-overload]
    start = get_datetime_utc()
    items = [
        Item(
            title=f"Item {n}",
            description=f"Seeded item number {n}",
            owner_id=user.id,
            created_at=start + timedelta(milliseconds=n),
        )
        for n in range(1, BENCH_ITEMS + 1)
    ]
    session.add_all(items)
    session.commit()
    return user, items


def main() -> None:
    with Session(engine) as session:
        user, items = init_db(session)
        print(f"USER_ID={user.id} ITEM_ID={items[0].id} ITEMS={len(items)}")


if __name__ == "__main__":
    main()
