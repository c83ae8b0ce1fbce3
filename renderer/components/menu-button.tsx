/**
 * A menu button, as the WAI-ARIA menu button pattern describes it: the button opens a menu of
 * items; ArrowUp/ArrowDown (and Home/End) move between them, Enter or a click picks one, Esc closes
 * the menu and puts focus back on the button, and so does a click anywhere else or Tab.
 *
 * Esc is also the app's "cancel the run" key (App.tsx listens on window): an open menu takes it
 * first and stops it there.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/** One item of a menu. */
export interface MenuItem {
  readonly key: string;
  readonly content: ReactNode;
  readonly title?: string;
  readonly onSelect: () => void;
}

interface MenuButtonProps {
  /** The button's visible text. */
  readonly children: ReactNode;
  /** The button's accessible name when its text is not enough. */
  readonly ariaLabel?: string;
  readonly title?: string;
  readonly disabled?: boolean;
  readonly items: readonly MenuItem[];
  /** What the menu says when it has no items. */
  readonly empty?: string;
  readonly align?: 'left' | 'right';
  readonly className?: string;
}

/** A button and its menu. */
export function MenuButton({
  children,
  ariaLabel,
  title,
  disabled,
  items,
  empty,
  align = 'left',
  className,
}: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  // Which item gets focus when the menu opens: the first, the last, or none (a mouse click).
  const focusOnOpen = useRef<'first' | 'last' | null>(null);
  const menuId = useId();
  const buttonId = useId();

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  // A click outside closes the menu (without moving focus: the user clicked somewhere else).
  useEffect(() => {
    if (!open) return undefined;
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const where = focusOnOpen.current ?? 'first';
    focusOnOpen.current = null;
    const list = itemRefs.current.filter((el): el is HTMLButtonElement => el !== null);
    (where === 'last' ? list[list.length - 1] : list[0])?.focus();
  }, [open]);

  const openWith = (where: 'first' | 'last') => {
    focusOnOpen.current = where;
    setOpen(true);
  };

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openWith(event.key === 'ArrowUp' ? 'last' : 'first');
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const list = itemRefs.current.filter((el): el is HTMLButtonElement => el !== null);
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    let next: number;
    if (event.key === 'ArrowDown') next = list.length ? (at + 1) % list.length : -1;
    else if (event.key === 'ArrowUp') next = list.length ? (at - 1 + list.length) % list.length : -1;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = list.length - 1;
    else if (event.key === 'Escape') {
      // Taken here, so the app's Esc (cancel the run) does not also fire.
      event.preventDefault();
      event.stopPropagation();
      close(true);
      return;
    } else if (event.key === 'Tab') {
      setOpen(false);
      return;
    } else return;
    event.preventDefault();
    list[next]?.focus();
  };

  return (
    <div className={`menu-wrap${align === 'right' ? ' right' : ''}${className ? ` ${className}` : ''}`} ref={wrapRef}>
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        disabled={disabled}
        title={title}
        aria-label={ariaLabel}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openWith('first'))}
        onKeyDown={onButtonKeyDown}
      >
        {children}
      </button>
      {open && (
        <ul
          className={`menu${align === 'right' ? ' menu-right' : ''}`}
          role="menu"
          id={menuId}
          aria-labelledby={buttonId}
          onKeyDown={onMenuKeyDown}
        >
          {items.length === 0 && empty && (
            <li role="none" className="menu-empty">
              {empty}
            </li>
          )}
          {items.map((item, i) => (
            <li key={item.key} role="none">
              <button
                ref={(el) => {
                  itemRefs.current[i] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                title={item.title}
                onClick={() => {
                  close(true);
                  item.onSelect();
                }}
              >
                {item.content}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
